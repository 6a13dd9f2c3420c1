# Day month year, as readers in the UK and most of the world write dates.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
