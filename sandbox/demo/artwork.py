"""Demo pictures drawn with Pillow, so the sandbox needs no downloads.

Each scene is a function of the canvas size that returns an RGB image. The
drawings use fixed random seeds, so every run draws the same pictures.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from io import BytesIO

from PIL import Image, ImageDraw, ImageFilter

Color = tuple[int, int, int]
Size = tuple[int, int]


def vertical_gradient(size: Size, top: Color, bottom: Color) -> Image.Image:
    """Return an image that fades from ``top`` to ``bottom``."""
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def paste_gradient(
    canvas: Image.Image, box: tuple[int, int, int, int], top: Color, bottom: Color
) -> None:
    """Fill the rectangle ``box`` (left, top, right, bottom) with a gradient."""
    left, upper, right, lower = box
    canvas.paste(vertical_gradient((right - left, lower - upper), top, bottom), (left, upper))


def draw_stars(draw: ImageDraw.ImageDraw, size: Size, count: int, max_y: int, seed: int) -> None:
    rng = random.Random(seed)
    width, _ = size
    for _ in range(count):
        x, y = rng.randrange(width), rng.randrange(max_y)
        radius = rng.choice((1, 1, 1, 2))
        shade = rng.randrange(180, 256)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(shade, shade, shade))


def sunset_at_the_pier(size: Size) -> Image.Image:
    width, height = size
    horizon = height * 3 // 5
    image = vertical_gradient(size, (72, 34, 110), (255, 150, 60))
    draw = ImageDraw.Draw(image)

    sun_x, sun_radius = width * 2 // 3, height // 8
    draw.ellipse(
        (sun_x - sun_radius, horizon - sun_radius, sun_x + sun_radius, horizon + sun_radius),
        fill=(255, 210, 110),
    )
    # The sea covers the lower half of the sun.
    paste_gradient(image, (0, horizon, width, height), (200, 90, 70), (30, 30, 70))
    for row in range(6):
        y = horizon + 12 + row * 22
        half = sun_radius - row * 12
        draw.line((sun_x - half, y, sun_x + half, y), fill=(255, 190, 100), width=4)

    deck_y = horizon - 20
    draw.rectangle((0, deck_y, width * 2 // 5, deck_y + 14), fill=(40, 22, 30))
    for x in range(20, width * 2 // 5, 70):
        draw.rectangle((x, deck_y, x + 10, height * 4 // 5), fill=(40, 22, 30))
    return image


def mountain_lake(size: Size) -> Image.Image:
    width, height = size
    shore = height * 3 // 5
    image = vertical_gradient(size, (110, 170, 230), (220, 235, 250))
    draw = ImageDraw.Draw(image)

    peaks = [(width // 5, height // 5), (width // 2, height // 10), (width * 4 // 5, height // 4)]
    for peak_x, peak_y in peaks:
        base = width // 3
        draw.polygon(
            [(peak_x - base, shore), (peak_x, peak_y), (peak_x + base, shore)], fill=(90, 100, 120)
        )
        cap = (shore - peak_y) // 4
        draw.polygon(
            [
                (peak_x - cap * base // (shore - peak_y), peak_y + cap),
                (peak_x, peak_y),
                (peak_x + cap * base // (shore - peak_y), peak_y + cap),
            ],
            fill=(245, 248, 255),
        )

    # The lake mirrors the mountains, darkened and slightly blurred.
    reflection = image.crop((0, 2 * shore - height, width, shore)).transpose(
        Image.Transpose.FLIP_TOP_BOTTOM
    )
    reflection = Image.blend(reflection, Image.new("RGB", reflection.size, (20, 60, 90)), 0.45)
    image.paste(reflection.filter(ImageFilter.GaussianBlur(3)), (0, shore))
    return image


def city_at_night(size: Size) -> Image.Image:
    width, height = size
    image = vertical_gradient(size, (5, 8, 30), (40, 30, 80))
    draw = ImageDraw.Draw(image)
    draw_stars(draw, size, count=120, max_y=height // 2, seed=3)
    draw.ellipse((width - 190, 60, width - 110, 140), fill=(240, 235, 200))

    rng = random.Random(7)
    x = 0
    while x < width:
        building_width = rng.randrange(60, 140)
        top = rng.randrange(height // 4, height * 2 // 3)
        draw.rectangle((x, top, x + building_width, height), fill=(20, 20, 35))
        for window_y in range(top + 12, height - 20, 24):
            for window_x in range(x + 10, x + building_width - 14, 20):
                if rng.random() < 0.45:
                    draw.rectangle(
                        (window_x, window_y, window_x + 8, window_y + 12), fill=(255, 210, 90)
                    )
        x += building_width + rng.randrange(4, 16)
    return image


def forest_path(size: Size) -> Image.Image:
    width, height = size
    ground = height // 2
    image = vertical_gradient(size, (190, 225, 200), (120, 170, 120))
    paste_gradient(image, (0, ground, width, height), (70, 120, 50), (40, 80, 30))
    draw = ImageDraw.Draw(image)

    draw.polygon(
        [(width // 2 - 20, ground), (width // 2 + 20, ground), (width * 3 // 4, height),
         (width // 4, height)],
        fill=(150, 110, 70),
    )
    rng = random.Random(11)
    for _ in range(40):
        tree_x = rng.choice((rng.randrange(0, width // 2 - 60), rng.randrange(width // 2 + 60, width)))
        tree_base = rng.randrange(ground - 20, height)
        tree_height = (tree_base - ground // 3) * rng.uniform(0.6, 0.9)
        half = tree_height / 5
        green = (rng.randrange(20, 60), rng.randrange(70, 120), rng.randrange(30, 60))
        draw.rectangle((tree_x - 5, tree_base - 30, tree_x + 5, tree_base), fill=(80, 50, 30))
        draw.polygon(
            [(tree_x - half, tree_base - 25), (tree_x, tree_base - tree_height),
             (tree_x + half, tree_base - 25)],
            fill=green,
        )
    return image


def desert_dunes(size: Size) -> Image.Image:
    width, height = size
    image = vertical_gradient(size, (120, 180, 235), (250, 225, 180))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width // 6, height // 8, width // 6 + 110, height // 8 + 110), fill=(255, 245, 200))

    layers = [
        (height * 11 // 20, (230, 180, 110), 0.0),
        (height * 13 // 20, (215, 160, 90), 1.3),
        (height * 16 // 20, (195, 140, 75), 2.4),
    ]
    for crest, color, phase in layers:
        outline = [
            (x, crest + 40 * math.sin(x / width * 2 * math.pi * 1.5 + phase))
            for x in range(0, width + 10, 10)
        ]
        draw.polygon([(0, height), *outline, (width, height)], fill=color)
    return image


def northern_lights(size: Size) -> Image.Image:
    width, height = size
    image = vertical_gradient(size, (5, 10, 25), (15, 35, 60))
    draw = ImageDraw.Draw(image)
    draw_stars(draw, size, count=160, max_y=height * 3 // 4, seed=5)

    aurora = Image.new("RGB", size, (0, 0, 0))
    aurora_draw = ImageDraw.Draw(aurora)
    for band, color in enumerate(((60, 255, 150), (40, 200, 220), (150, 90, 230))):
        base_y = height // 4 + band * 60
        points = [
            (x, base_y + 50 * math.sin(x / width * 2 * math.pi + band))
            for x in range(0, width + 20, 20)
        ]
        aurora_draw.line(points, fill=color, width=36)
    aurora = aurora.filter(ImageFilter.GaussianBlur(14))
    image = Image.composite(aurora, image, aurora.convert("L"))

    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 5 // 6, width, height), fill=(225, 235, 245))
    return image


def ocean_waves(size: Size) -> Image.Image:
    width, height = size
    image = vertical_gradient(size, (30, 120, 190), (10, 40, 90))
    draw = ImageDraw.Draw(image)
    for row in range(12):
        y = 40 + row * (height // 12)
        amplitude = 10 + row * 2
        points = [
            (x, y + amplitude * math.sin(x / 60 + row)) for x in range(0, width + 10, 10)
        ]
        draw.line(points, fill=(220, 240, 255), width=3 + row // 3)
    return image


def autumn_leaves(size: Size) -> Image.Image:
    width, height = size
    image = vertical_gradient(size, (120, 70, 30), (60, 35, 20))
    rng = random.Random(13)
    palette = [(220, 90, 30), (240, 170, 40), (180, 40, 30), (200, 130, 50), (150, 90, 40)]
    for _ in range(90):
        leaf = Image.new("RGBA", (80, 40), (0, 0, 0, 0))
        ImageDraw.Draw(leaf).ellipse((0, 0, 79, 39), fill=(*rng.choice(palette), 255))
        leaf = leaf.rotate(rng.randrange(360), expand=True)
        image.paste(leaf, (rng.randrange(-40, width), rng.randrange(-40, height)), leaf)
    return image


#: Title of each demo image and the function that draws it.
SCENES: dict[str, Callable[[Size], Image.Image]] = {
    "Sunset at the pier": sunset_at_the_pier,
    "Mountain lake": mountain_lake,
    "City at night": city_at_night,
    "Forest path": forest_path,
    "Desert dunes": desert_dunes,
    "Northern lights": northern_lights,
    "Ocean waves": ocean_waves,
    "Autumn leaves": autumn_leaves,
}

#: Size of every demo image in pixels: larger than the ``medium`` rendition,
#: so the renditions differ from the original.
DEMO_IMAGE_SIZE: Size = (1200, 800)


def render_jpeg(title: str, size: Size = DEMO_IMAGE_SIZE) -> bytes:
    """Draw the scene named ``title`` and return it as JPEG bytes."""
    buffer = BytesIO()
    SCENES[title](size).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()
