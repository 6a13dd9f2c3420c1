"""Abstract stand-in portraits drawn with Pillow, so the demo ships no photographs."""

import io
import random

from PIL import Image, ImageDraw, ImageFont

SIZE = 960


def abstract_portrait(initial, background, colours, seed, size=SIZE):
    """A square PNG: soft overlapping circles and the person's initial."""
    chance = random.Random(seed)  # noqa: S311 - repeatable shapes for sample art, not secrets
    image = Image.new("RGB", (size, size), background)
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(7):
        radius = chance.randint(size // 6, size // 2)
        x, y = chance.randint(0, size), chance.randint(0, size)
        colour = _rgba(chance.choice(colours), chance.randint(90, 170))
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    image.paste(layer, mask=layer)
    draw = ImageDraw.Draw(image)
    centre, radius = size // 2, size // 4
    draw.ellipse(
        (centre - radius, centre - radius, centre + radius, centre + radius), fill="#ffffff"
    )
    try:
        font = ImageFont.load_default(size=size // 4)
    except (AttributeError, OSError):  # Pillow built without FreeType: shapes only
        font = None
    if font is not None:
        draw.text((centre, centre), initial, fill=background, font=font, anchor="mm")
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()


def _rgba(hex_colour, alpha):
    hex_colour = hex_colour.lstrip("#")
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return (red, green, blue, alpha)
