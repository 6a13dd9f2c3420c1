"""Portrait uploads: checked, stripped of metadata, renamed, and resized for the page."""

import io
import secrets
import weakref
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from knowaml.languages import SOURCE_LANGUAGE

MAX_BYTES = 5 * 1024 * 1024
MIN_SIDE = 320
MAX_SIDE = 6000
# Budget per upload: decoding 24 megapixels of RGBA takes 96 MB. Pillow's WebP decoder
# needs about four times the memory per pixel of JPEG or PNG, so WebP gets a quarter.
MAX_PIXELS = 24_000_000
MAX_PIXELS_BY_FORMAT = {"WEBP": 6_000_000}
# MPO is how Pillow names the JPEGs many phones write (a photo plus a preview picture).
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
# The stored copy only feeds the renditions; twice the widest one leaves room for a 2x srcset.
STORED_SIDE = 1920
RENDITION_WIDTHS = (320, 640, 960)
PORTRAIT_DIR = "stories/portraits"
RENDITION_DIR = "stories/renditions"

# Pillow refuses to open anything over twice this, whatever opens it (Django's form field
# opens the upload before our validator runs).
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

# Decoding is the costly part, so each upload is decoded once: the validator keeps the picture
# it checked for strip_metadata(), for as long as the upload itself is alive.
_decoded = weakref.WeakKeyDictionary()


def _read(file):
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def portrait_name(story, filename):
    """Where an upload is stored: the story's slug and a random suffix, never the file's name.

    The uploader's file name is often the person's full name, and media addresses are public.
    """
    slug = slugify(getattr(story, f"slug_{SOURCE_LANGUAGE}", None) or "", allow_unicode=True)
    extension = PurePosixPath(filename).suffix.lower()
    if extension not in (".jpg", ".png"):
        extension = ".jpg"
    return f"{PORTRAIT_DIR}/{slug[:50] or 'portrait'}-{secrets.token_hex(4)}{extension}"


def validate_portrait(file):
    """A complete JPEG, PNG or WebP image of sensible size, or an error an editor can act on."""
    if getattr(file, "_committed", False):
        return  # already in storage, so checked when it was uploaded
    if file.size > MAX_BYTES:
        raise ValidationError(
            _("This image is %(size)s. Please upload an image of %(limit)s or less."),
            params={"size": filesizeformat(file.size), "limit": filesizeformat(MAX_BYTES)},
            code="too_large",
        )
    try:
        image = Image.open(io.BytesIO(_read(file)))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise ValidationError(
            _("This file is not an image we can read. Please upload a JPEG, PNG or WebP photo."),
            code="not_an_image",
        ) from error
    _check_format_and_size(image)
    try:
        # verify() reads no pixels: only decoding them all finds a truncated or corrupt
        # file, and the size is checked first so that this stays within the budget.
        picture = _decode(image, STORED_SIDE)
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(
            _(
                "This image is damaged or incomplete, so we cannot read it. Please upload "
                "the original photo again."
            ),
            code="damaged",
        ) from error
    _decoded[_upload(file)] = picture


def _check_format_and_size(image):
    if image.format not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("Please upload a JPEG, PNG or WebP photo."), code="unsupported_format"
        )
    width, height = image.size
    if min(width, height) < MIN_SIDE:
        raise ValidationError(
            _(
                "This image is %(width)s×%(height)s pixels. It must be at least "
                "%(minimum)s pixels wide and high, so that it stays sharp."
            ),
            params={"width": width, "height": height, "minimum": MIN_SIDE},
            code="too_small",
        )
    if max(width, height) > MAX_SIDE:
        raise ValidationError(
            _(
                "This image is %(width)s×%(height)s pixels. It may be at most "
                "%(maximum)s pixels wide and high."
            ),
            params={"width": width, "height": height, "maximum": MAX_SIDE},
            code="too_big",
        )
    limit = MAX_PIXELS_BY_FORMAT.get(image.format, MAX_PIXELS)
    if width * height > limit:
        raise ValidationError(
            _(
                "This image is %(width)s×%(height)s pixels, which is %(megapixels)s "
                "megapixels. It may have at most %(limit)s megapixels: please make it "
                "smaller and upload it again."
            ),
            params={
                "width": width,
                "height": height,
                "megapixels": number_format(width * height / 1_000_000, 1),
                "limit": number_format(limit / 1_000_000, 0),
            },
            code="too_many_pixels",
        )


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info


def _shrink(image, longest):
    """An RGB or RGBA copy of ``image``, at most ``longest`` pixels on its longer side.

    A whole-picture convert or resize would hold a second full-size copy (another 96 MB for
    24 megapixels of RGBA), so colours are converted and the size divided by a whole factor
    a band of rows at a time; only the already small result is resampled smoothly.
    """
    mode = "RGBA" if _has_alpha(image) else "RGB"
    width, height = image.size
    factor = max(1, max(width, height) // longest)
    if factor == 1 and image.mode == mode:
        shrunk = image
    else:
        shrunk = Image.new(mode, (-(-width // factor), -(-height // factor)))
        step = factor * 64
        for top in range(0, height, step):
            band = image.crop((0, top, width, min(top + step, height))).convert(mode)
            shrunk.paste(band.reduce(factor) if factor > 1 else band, (0, top // factor))
        image.close()
    shrunk.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    return shrunk


def _decode(image, longest):
    """The upright picture of an opened ``image``, at most ``longest`` pixels on its longer side.

    Every pixel is decoded, so a truncated or corrupt file raises here.
    """
    # A JPEG decodes at 1/2, 1/4 or 1/8 scale in a fraction of the time and memory; every
    # byte of it is still read, so truncation is still found.
    image.draft(image.mode, (longest, longest))
    image.load()
    orientation = image.getexif().get(ExifTags.Base.Orientation)
    shrunk = _shrink(image, longest)
    # Nothing read from the upload (EXIF, XMP, ICC profile, comments) may reach the copies.
    shrunk.info = {}
    if orientation:
        # Apply the camera's rotation before the EXIF block that carries it is dropped.
        shrunk.getexif()[ExifTags.Base.Orientation] = orientation
        ImageOps.exif_transpose(shrunk, in_place=True)
    return shrunk


def _upload(file):
    return getattr(file, "file", None) or file  # a model's FieldFile wraps the upload


def strip_metadata(file):
    """Re-encode the image so that no EXIF (camera, time, GPS location) survives.

    The copy is named ``portrait`` and the field's ``upload_to`` gives it its stored name.
    """
    image = _decoded.pop(_upload(file), None)
    if image is None:
        image = _decode(Image.open(io.BytesIO(_read(file))), STORED_SIDE)
    output = io.BytesIO()
    if image.mode == "RGBA":
        image.save(output, "PNG", compress_level=1)
        name = "portrait.png"
    else:
        image.save(output, "JPEG", quality=90, optimize=True)
        name = "portrait.jpg"
    return ContentFile(output.getvalue(), name=name)


def make_renditions(name, storage=default_storage):
    """Save smaller WebP copies of the stored image ``name``; return what was made."""
    with storage.open(name, "rb") as source:
        image = _decode(Image.open(io.BytesIO(source.read())), STORED_SIDE)
    stem = PurePosixPath(name).stem
    renditions = []
    widths = [w for w in RENDITION_WIDTHS if w <= image.width] or [image.width]
    if widths[-1] < image.width < RENDITION_WIDTHS[-1]:
        widths.append(image.width)
    for width in widths:
        height = round(image.height * width / image.width)
        resized = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        output = io.BytesIO()
        resized.save(output, "WEBP", quality=80)
        saved = storage.save(
            f"{RENDITION_DIR}/{stem}-{width}w.webp", ContentFile(output.getvalue())
        )
        renditions.append({"name": saved, "width": width, "height": height})
    return renditions


def delete_renditions(renditions, storage=default_storage):
    for rendition in renditions or []:
        storage.delete(rendition["name"])


def responsive_image(renditions, display_width=None, storage=default_storage):
    """``src``, ``srcset``, ``width`` and ``height`` for an ``<img>``.

    ``display_width`` fixes the size of a thumbnail; without it, the largest rendition's
    size gives the aspect ratio and CSS scales it down.
    """
    if not renditions:
        return None
    largest = renditions[-1]
    width = display_width or largest["width"]
    return {
        "src": storage.url(renditions[0]["name"]),
        "srcset": ", ".join(f"{storage.url(r['name'])} {r['width']}w" for r in renditions),
        "width": width,
        "height": round(largest["height"] * width / largest["width"]),
    }
