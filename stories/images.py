"""Portrait uploads: checked, stripped of metadata, and resized for the page."""

import io
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MIN_SIDE = 320
MAX_SIDE = 6000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
RENDITION_WIDTHS = (320, 640, 960)
RENDITION_DIR = "stories/renditions"


def _read(file):
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def validate_portrait(file):
    """A real image of sensible size, with a message an editor can act on."""
    if file.size > MAX_BYTES:
        raise ValidationError(
            _("This image is %(size)s. Please upload an image of %(limit)s or less."),
            params={"size": filesizeformat(file.size), "limit": filesizeformat(MAX_BYTES)},
            code="too_large",
        )
    try:
        with Image.open(io.BytesIO(_read(file))) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("This file is not an image we can read. Please upload a JPEG, PNG or WebP photo."),
            code="not_an_image",
        ) from error
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("Please upload a JPEG, PNG or WebP photo."), code="unsupported_format"
        )
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


def _open_upright(data):
    image = Image.open(io.BytesIO(data))
    # Apply the camera's rotation before the EXIF block that carries it is dropped.
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    return image


def strip_metadata(file):
    """Re-encode the image so that no EXIF (camera, time, GPS location) survives."""
    image = _open_upright(_read(file))
    output = io.BytesIO()
    stem = PurePosixPath(file.name).stem or "portrait"
    if image.mode == "RGBA":
        image.save(output, "PNG", optimize=True)
        name = f"{stem}.png"
    else:
        image.save(output, "JPEG", quality=90, optimize=True)
        name = f"{stem}.jpg"
    return ContentFile(output.getvalue(), name=name)


def make_renditions(name, storage=default_storage):
    """Save smaller WebP copies of the stored image ``name``; return what was made."""
    with storage.open(name, "rb") as source:
        image = _open_upright(source.read())
    stem = PurePosixPath(name).stem
    renditions = []
    widths = [w for w in RENDITION_WIDTHS if w <= image.width] or [image.width]
    if widths[-1] < image.width < RENDITION_WIDTHS[-1]:
        widths.append(image.width)
    for width in widths:
        height = round(image.height * width / image.width)
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        output = io.BytesIO()
        resized.save(output, "WEBP", quality=80, method=6)
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
