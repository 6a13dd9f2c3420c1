"""An HTTP benchmark of the production-shaped site: `make bench`."""
