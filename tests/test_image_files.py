"""Uploads of broken, unusual and valid image files, and the names they are stored under.

Every file is sent through the GraphQL multipart upload. A rejected file
must give ``VALIDATION_ERROR`` with WagtailImageField's code on ``file`` and
leave no row and no file behind. An accepted file must produce the three
default renditions on disk, each readable by Pillow at the size Wagtail's
``fill`` and ``max`` operations give.
"""

from __future__ import annotations

import io
import math
import os
import random
import struct
import warnings
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image as PILImage
from PIL import ImageCms
from wagtail.images import get_image_model

from tests.conftest import media_files, photo_bytes, scaled_photo_bytes

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GraphQLClient

pytestmark = pytest.mark.django_db

#: The default renditions as ``{filter spec: (operation, box)}``.
DEFAULT_RENDITIONS = {
    "fill-100x100": ("fill", (100, 100)),
    "max-800x600": ("max", (800, 600)),
    "max-1600x1200": ("max", (1600, 1200)),
}

#: EXIF tag number of the orientation field.
EXIF_ORIENTATION = 0x0112


def _encode(image: PILImage.Image, image_format: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def _noise(size: tuple[int, int], mode: str = "RGB", seed: int = 0) -> PILImage.Image:
    """Return an image of random pixels, which compresses badly and so has real data."""
    rgb = PILImage.frombytes("RGB", size, random.Random(seed).randbytes(size[0] * size[1] * 3))
    return rgb if mode == "RGB" else rgb.convert(mode)


def _animation(image_format: str, size: tuple[int, int], frames: int = 3, **options: Any) -> bytes:
    images = [_noise(size, seed=seed) for seed in range(frames)]
    return _encode(
        images[0], image_format, save_all=True, append_images=images[1:], duration=80, **options
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    checksum = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)


def _png_declaring(width: int, height: int) -> bytes:
    """Return a PNG of about 100 bytes whose header declares ``width`` x ``height``.

    The image is 1-bit greyscale and its IDAT chunk contains a single row.
    """
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    first_row = zlib.compress(b"\x00" + b"\x00" * math.ceil(width / 8), 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", first_row)
        + _png_chunk(b"IEND", b"")
    )


def _png_with_garbage_idat() -> bytes:
    """Return a PNG whose header is intact but whose IDAT data is overwritten."""
    content = _encode(_noise((200, 150)), "PNG")
    data_start = content.index(b"IDAT") + 4
    garbage = b"\x00garbage!" * 40
    return content[:data_start] + garbage + content[data_start + len(garbage) :]


def _cut(content: bytes, fraction: float) -> bytes:
    return content[: int(len(content) * fraction)]


def _rotated_jpeg() -> bytes:
    """Return a 1000x400 JPEG whose EXIF orientation 6 makes it 400x1000 upright."""
    exif = PILImage.Exif()
    exif[EXIF_ORIENTATION] = 6
    return _encode(_noise((1000, 400)), "JPEG", exif=exif.tobytes())


def _jpeg_with_icc_profile() -> bytes:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return _encode(_noise((640, 480)), "JPEG", icc_profile=profile, quality=80)


def _png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Description", "A test image with a text chunk")
    info.add_itxt("Title", "Bild mit Übersetzung", lang="de")
    return _encode(_noise((320, 240)), "PNG", pnginfo=info)


def _palette_png_with_transparency() -> bytes:
    image = _noise((700, 500)).convert("P", palette=PILImage.Palette.ADAPTIVE, colors=64)
    return _encode(image, "PNG", transparency=0)


def _grey16_png() -> bytes:
    image = PILImage.frombytes("I;16", (300, 200), random.Random(3).randbytes(300 * 200 * 2))
    return _encode(image, "PNG")


def _body(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    return response.json()


def _file_errors(body: dict[str, Any]) -> list[dict[str, str]]:
    """Return the field errors of a rejected upload, asserting that it failed."""
    assert body["data"] is None, body
    assert len(body["errors"]) == 1, body
    return body["errors"][0]["extensions"].get("fields", [])


def _error_code(body: dict[str, Any]) -> str:
    return body["errors"][0]["extensions"]["code"]


def _media_path(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def _expected_max(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """Return the size Wagtail's ``max-WxH`` gives an upright image of ``size``."""
    width, height = size
    box_width, box_height = box
    if width <= box_width and height <= box_height:
        return size
    horizontal_scale = box_width / width
    vertical_scale = box_height / height
    if horizontal_scale < vertical_scale:
        return box_width, max(int(height * horizontal_scale), 1)
    return max(int(width * vertical_scale), 1), box_height


def _expected_fill(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    """Return the size Wagtail's ``fill-WxH`` gives an upright image of ``size``.

    Wagtail crops the largest centred box of the target aspect ratio and
    widens it to whole pixels: the floor of the left and top edges, the
    ceiling of the right and bottom edges. It scales the crop down when it is
    wider than the target, and never scales it up.
    """
    width, height = size
    box_width, box_height = box
    aspect_ratio = box_width / box_height
    crop_scale = min(width, height * aspect_ratio)
    crop_width, crop_height = crop_scale, crop_scale / aspect_ratio
    left = math.floor(width / 2 - crop_width / 2)
    right = math.ceil(width / 2 + crop_width / 2)
    top = math.floor(height / 2 - crop_height / 2)
    bottom = math.ceil(height / 2 + crop_height / 2)
    cropped = (right - left, bottom - top)
    if box_width / cropped[0] < 1:
        return box
    return cropped


def _expected_renditions(upright_size: tuple[int, int]) -> dict[str, tuple[int, int]]:
    expected = {}
    for spec, (operation, box) in DEFAULT_RENDITIONS.items():
        compute = _expected_fill if operation == "fill" else _expected_max
        expected[spec] = compute(upright_size, box)
    return expected


def _assert_upload_rejected(body: dict[str, Any], code: str) -> None:
    assert _error_code(body) == "VALIDATION_ERROR", body
    errors = _file_errors(body)
    assert errors[0]["field"] == "file"
    assert errors[0]["code"] == code
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


def _assert_renditions_on_disk(
    data: dict[str, Any], upright_size: tuple[int, int]
) -> None:
    """Check each rendition in the response against its file and the expected size."""
    expected = _expected_renditions(upright_size)
    served = {rendition["filterSpec"]: rendition for rendition in data["renditions"]}
    assert set(served) == set(expected)
    for spec, size in expected.items():
        rendition = served[spec]
        assert (rendition["width"], rendition["height"]) == size, spec
        path = _media_path(rendition["url"].removeprefix(settings.MEDIA_URL))
        assert path.is_file(), spec
        with PILImage.open(path) as stored:
            stored.load()
            assert stored.size == size, spec


def _assert_stored_files_match_rows(image_id: str) -> None:
    image = get_image_model().objects.get(pk=image_id)
    rendition_files = set(image.renditions.values_list("file", flat=True))
    assert set(image.renditions.values_list("filter_spec", flat=True)) == set(DEFAULT_RENDITIONS)
    assert media_files() == {image.file.name} | rendition_files


REJECTED_FILES = [
    pytest.param("notes.jpg", lambda: b"These are not image bytes.\n" * 20, "invalid_image", {}, id="text"),
    pytest.param("photo.jpg", lambda: _cut(photo_bytes(), 0.5), "invalid_image", {}, id="jpeg-cut-half"),
    pytest.param("noise.jpg", lambda: _encode(_noise((120, 90)), "JPEG")[:-200], "invalid_image", {}, id="jpeg-cut-end"),
    pytest.param("start.jpg", lambda: b"\xff\xd8\xff\xe0" + b"garbage" * 10, "invalid_image", {}, id="jpeg-magic-only"),
    pytest.param("noise.png", _png_with_garbage_idat, "invalid_image", {}, id="png-garbage-idat"),
    pytest.param("noise.png", lambda: _cut(_encode(_noise((200, 150)), "PNG"), 0.5), "invalid_image", {}, id="png-cut-half"),
    pytest.param("start.png", lambda: b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "invalid_image", {}, id="png-magic-only"),
    pytest.param("anim.gif", lambda: _animation("GIF", (60, 40), loop=0)[:-40], "invalid_image", {}, id="gif-last-frame-cut"),
    pytest.param("anim.webp", lambda: _animation("WEBP", (60, 40))[:-40], "invalid_image", {}, id="webp-animation-cut"),
    pytest.param("noise.webp", lambda: _encode(_noise((100, 100)), "WEBP")[:-50], "invalid_image", {}, id="webp-cut"),
    pytest.param("noise.avif", lambda: _encode(_noise((100, 100)), "AVIF")[:-50], "invalid_image", {}, id="avif-cut"),
    # Willow 1.12 detects an animated PNG as "apng", a format it cannot open.
    pytest.param("anim.png", lambda: _animation("PNG", (60, 40)), "invalid_image", {}, id="apng"),
    pytest.param("empty.jpg", lambda: b"", "empty", {}, id="zero-bytes"),
    pytest.param("image.jpg", lambda: _encode(_noise((40, 30)), "PNG"), "invalid_image_known_format", {}, id="png-named-jpg"),
    pytest.param("image.png", lambda: _encode(_noise((40, 30)), "JPEG"), "invalid_image_known_format", {}, id="jpeg-named-png"),
    pytest.param("image.gif", lambda: _encode(_noise((40, 30)), "WEBP"), "invalid_image_known_format", {}, id="webp-named-gif"),
    pytest.param("image.bmp", lambda: _encode(_noise((40, 30)), "BMP"), "invalid_image_extension", {}, id="bmp"),
    pytest.param("image.tiff", lambda: _encode(_noise((40, 30)), "TIFF"), "invalid_image_extension", {}, id="tiff"),
    pytest.param("image", lambda: _encode(_noise((40, 30)), "PNG"), "invalid_image_extension", {}, id="no-extension"),
    pytest.param("image.exe", lambda: _encode(_noise((40, 30)), "PNG"), "invalid_image_extension", {}, id="exe"),
    pytest.param(
        "image.png",
        lambda: _encode(_noise((40, 30)), "PNG"),
        "invalid_image_extension",
        {"WAGTAILIMAGES_EXTENSIONS": ["jpg", "jpeg"]},
        id="extension-not-allowed-by-site",
    ),
    pytest.param(
        "photo.jpg", photo_bytes, "file_too_large", {"WAGTAILIMAGES_MAX_UPLOAD_SIZE": 10_000}, id="too-large"
    ),
    pytest.param(
        "noise.png",
        lambda: _encode(_noise((200, 200)), "PNG"),
        "file_too_many_pixels",
        {"WAGTAILIMAGES_MAX_IMAGE_PIXELS": 10_000},
        id="too-many-pixels",
    ),
    pytest.param("bomb.png", lambda: _png_declaring(30_000, 30_000), "file_too_many_pixels", {}, id="bomb-30000"),
    pytest.param(
        "bomb.png",
        lambda: _png_declaring(9_000, 9_000),
        "file_too_many_pixels",
        {"WAGTAILIMAGES_MAX_IMAGE_PIXELS": 1_000_000},
        id="bomb-under-pillow-limit",
    ),
    pytest.param(
        "anim.gif",
        lambda: _animation("GIF", (80, 80), loop=0),
        "file_too_many_pixels",
        {"WAGTAILIMAGES_MAX_IMAGE_PIXELS": 10_000},
        id="frames-over-pixel-limit",
    ),
    # Wagtail's own checks come first: a broken file with another fault
    # gets Wagtail's code for that fault.
    pytest.param(
        "noise.jpg", lambda: _cut(_encode(_noise((200, 150)), "PNG"), 0.5), "invalid_image_known_format", {}, id="cut-png-named-jpg"
    ),
    pytest.param(
        "noise.png",
        lambda: _cut(_encode(_noise((200, 150)), "PNG"), 0.5),
        "file_too_large",
        {"WAGTAILIMAGES_MAX_UPLOAD_SIZE": 1_000},
        id="cut-png-too-large",
    ),
]


@pytest.mark.parametrize(("file_name", "make_content", "code", "site_settings"), REJECTED_FILES)
def test_upload_rejected(
    api: GraphQLClient,
    file_name: str,
    make_content: Callable[[], bytes],
    code: str,
    site_settings: dict[str, Any],
) -> None:
    content = make_content()

    with override_settings(**site_settings):
        body = _body(api.upload(content, file_name))

    _assert_upload_rejected(body, code)


def test_bomb_warning_as_error(api: GraphQLClient) -> None:
    """Pillow's DecompressionBombWarning, turned into an error, is a validation error."""
    pixels = PILImage.MAX_IMAGE_PIXELS + 1_000_000
    side = math.isqrt(pixels) + 1

    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        body = _body(api.upload(_png_declaring(side, side), "bomb.png"))

    _assert_upload_rejected(body, "file_too_many_pixels")


def test_decode_error_message(api: GraphQLClient) -> None:
    body = _body(api.upload(_cut(photo_bytes(), 0.5), "photo.jpg"))

    errors = _file_errors(body)
    assert errors[0]["message"].startswith("Upload a valid image.")
    assert "truncated" not in body["errors"][0]["message"]


ACCEPTED_FILES = [
    pytest.param("cmyk.jpg", lambda: _encode(_noise((1000, 700), "CMYK"), "JPEG"), (1000, 700), id="cmyk-jpeg"),
    pytest.param("grey.jpg", lambda: _encode(_noise((900, 900), "L"), "JPEG"), (900, 900), id="grey-jpeg"),
    pytest.param("icc.jpg", _jpeg_with_icc_profile, (640, 480), id="jpeg-icc-profile"),
    pytest.param("progressive.jpg", lambda: _encode(_noise((820, 620)), "JPEG", progressive=True), (820, 620), id="progressive-jpeg"),
    pytest.param("rotated.jpg", _rotated_jpeg, (400, 1000), id="jpeg-exif-orientation-6"),
    pytest.param("grey.png", lambda: _encode(_noise((640, 480), "L"), "PNG"), (640, 480), id="grey-png"),
    pytest.param("grey16.png", _grey16_png, (300, 200), id="grey-16-bit-png"),
    pytest.param("grey-alpha.png", lambda: _encode(_noise((500, 400), "LA"), "PNG"), (500, 400), id="grey-alpha-png"),
    pytest.param("rgba.png", lambda: _encode(_noise((1700, 300), "RGBA"), "PNG"), (1700, 300), id="rgba-png"),
    pytest.param("palette.png", _palette_png_with_transparency, (700, 500), id="palette-png"),
    pytest.param("bilevel.png", lambda: _encode(_noise((400, 400), "1"), "PNG"), (400, 400), id="bilevel-png"),
    pytest.param("text.png", _png_with_text, (320, 240), id="png-text-chunks"),
    pytest.param("anim.gif", lambda: _animation("GIF", (300, 200), loop=0), (300, 200), id="animated-gif"),
    pytest.param("still.gif", lambda: _encode(_noise((250, 250)), "GIF"), (250, 250), id="gif"),
    pytest.param("photo.webp", lambda: _encode(_noise((1000, 800)), "WEBP"), (1000, 800), id="webp"),
    pytest.param("alpha.webp", lambda: _encode(_noise((300, 300), "RGBA"), "WEBP"), (300, 300), id="webp-alpha"),
    pytest.param("anim.webp", lambda: _animation("WEBP", (200, 150)), (200, 150), id="animated-webp"),
    pytest.param("photo.avif", lambda: _encode(_noise((500, 300)), "AVIF"), (500, 300), id="avif"),
    pytest.param("wide.png", lambda: _encode(_noise((2000, 1), "L"), "PNG"), (2000, 1), id="2000x1"),
    pytest.param("tall.png", lambda: _encode(_noise((1, 2000), "L"), "PNG"), (1, 2000), id="1x2000"),
    pytest.param("pixel.png", lambda: _encode(_noise((1, 1)), "PNG"), (1, 1), id="1x1"),
    pytest.param("large.jpg", lambda: scaled_photo_bytes((2000, 1500)), (2000, 1500), id="photo-2000x1500"),
    pytest.param("UPPER.JPG", lambda: scaled_photo_bytes((300, 200)), (300, 200), id="upper-case-extension"),
    *(
        pytest.param(
            f"landscape_{number}.jpg",
            lambda number=number: photo_bytes(f"landscape_{number}.jpg"),
            (600, 450),
            id=f"photo-exif-orientation-{number}",
        )
        for number in range(1, 9)
    ),
]


@pytest.mark.parametrize(("file_name", "make_content", "upright_size"), ACCEPTED_FILES)
def test_upload_accepted(
    api: GraphQLClient,
    file_name: str,
    make_content: Callable[[], bytes],
    upright_size: tuple[int, int],
) -> None:
    body = _body(api.upload(make_content(), file_name))

    assert body.get("errors") is None, body
    data = body["data"]["uploadImage"]
    _assert_renditions_on_disk(data, upright_size)
    _assert_stored_files_match_rows(data["id"])


@pytest.mark.parametrize(
    ("size", "thumbnail"),
    [pytest.param((2000, 1), (2, 1), id="2000x1"), pytest.param((1, 2000), (1, 2), id="1x2000")],
)
def test_thin_image_thumbnail(
    api: GraphQLClient, size: tuple[int, int], thumbnail: tuple[int, int]
) -> None:
    """``fill-100x100`` of a one-pixel-thin image is a 2-pixel crop, not upscaled to 100x100."""
    body = _body(api.upload(_encode(_noise(size, "L"), "PNG"), "thin.png"))

    assert body.get("errors") is None, body
    served = {r["filterSpec"]: r for r in body["data"]["uploadImage"]["renditions"]}
    assert (served["fill-100x100"]["width"], served["fill-100x100"]["height"]) == thumbnail


@given(data=st.data())
@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_damaged_upload_never_fails(api: GraphQLClient, data: st.DataObject) -> None:
    """A cut or bit-flipped image is either stored with its renditions or rejected, never a server error."""
    makers = {
        "photo.jpg": lambda: scaled_photo_bytes((160, 120)),
        "noise.png": lambda: _encode(_noise((64, 48)), "PNG"),
        "anim.gif": lambda: _animation("GIF", (48, 32), loop=0),
        "noise.webp": lambda: _encode(_noise((64, 48)), "WEBP"),
        "noise.avif": lambda: _encode(_noise((64, 48)), "AVIF"),
    }
    file_name = data.draw(st.sampled_from(sorted(makers)), label="file name")
    content = bytearray(makers[file_name]())
    if data.draw(st.booleans(), label="cut"):
        length = data.draw(st.integers(min_value=1, max_value=len(content) - 1), label="length")
        content = content[:length]
    else:
        positions = st.integers(min_value=0, max_value=len(content) - 1)
        flips = data.draw(
            st.lists(st.tuples(positions, st.integers(0, 255)), min_size=1, max_size=8),
            label="flips",
        )
        for position, value in flips:
            content[position] = value
    files_before = media_files()

    body = _body(api.upload(bytes(content), file_name))

    if body.get("errors"):
        assert _error_code(body) == "VALIDATION_ERROR", body
        assert _file_errors(body)[0]["field"] == "file"
        assert media_files() == files_before
    else:
        image = get_image_model().objects.get(pk=body["data"]["uploadImage"]["id"])
        assert image.renditions.count() == len(DEFAULT_RENDITIONS)
        for rendition in image.renditions.all():
            with PILImage.open(_media_path(rendition.file.name)) as stored:
                stored.load()


def _stored_name(body: dict[str, Any]) -> str:
    assert body.get("errors") is None, body
    image = get_image_model().objects.get(pk=body["data"]["uploadImage"]["id"])
    return image.file.name


def _assert_safe_stored_name(name: str) -> None:
    file_field = get_image_model()._meta.get_field("file")
    parts = Path(name).parts
    assert len(name) <= file_field.max_length
    assert parts[0] == "original_images"
    assert len(parts) == 2
    assert ".." not in parts
    assert not parts[-1].startswith(".")
    assert name.isascii()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    assert _media_path(name).resolve().parent == media_root / "original_images"


@pytest.mark.parametrize(
    ("file_name", "stored_name"),
    [
        pytest.param("../x.png", "original_images/x.png", id="parent-directory"),
        pytest.param("../../../etc/passwd.png", "original_images/passwd.png", id="deep-traversal"),
        pytest.param("..\\..\\windows.png", "original_images/windows.png", id="backslashes"),
        pytest.param("a/../../b.png", "original_images/b.png", id="mixed-traversal"),
        pytest.param("/abs/path.png", "original_images/path.png", id="absolute-path"),
        pytest.param(".hidden.png", "original_images/hidden.png", id="hidden-file"),
        pytest.param("😀😀.png", "original_images/image.png", id="emoji-only"),
        pytest.param("..😀.png", "original_images/image.png", id="dots-and-emoji"),
        pytest.param("שלום עולם.png", "original_images/slvm_vlm.png", id="right-to-left"),
        pytest.param("\u202egnp.exe.png", "original_images/gnp.exe.png", id="rtl-override"),
        pytest.param("日本語 写真.png", "original_images/RiBenYu_XieZhen.png", id="cjk"),
        pytest.param("café photo.png", "original_images/cafe_photo.png", id="accents"),
    ],
)
def test_stored_name_safe(api: GraphQLClient, file_name: str, stored_name: str) -> None:
    name = _stored_name(_body(api.upload(_encode(_noise((30, 20)), "PNG"), file_name)))

    assert name == stored_name
    _assert_safe_stored_name(name)
    assert media_files() >= {name}


def _cut_file_name(name: str, max_length: int = 255) -> str:
    """Return ``name`` cut as Django's ``UploadedFile`` cuts it, keeping the extension."""
    if len(name) <= max_length:
        return name
    stem, extension = os.path.splitext(name)
    return stem[: max_length - len(extension)] + extension


@pytest.mark.parametrize(
    "file_name",
    [
        pytest.param("a" * 300 + ".png", id="ascii-300"),
        # 200 emoji are 800 bytes of UTF-8, which fits the 1024 bytes Django's
        # multipart parser allows for a part's headers.
        pytest.param("😀" * 200 + ".png", id="emoji-200"),
        pytest.param("ש" * 150 + "x" * 150 + ".png", id="mixed-300"),
        pytest.param("é" * 300 + ".png", id="accents-300"),
    ],
)
def test_long_file_name(api: GraphQLClient, file_name: str) -> None:
    body = _body(api.upload(_encode(_noise((30, 20)), "PNG"), file_name))

    name = _stored_name(body)
    _assert_safe_stored_name(name)
    assert name.endswith(".png")
    title = body["data"]["uploadImage"]["title"]
    assert len(title) <= get_image_model()._meta.get_field("title").max_length
    assert title == _cut_file_name(file_name)
    rendition_field = get_image_model().get_rendition_model()._meta.get_field("file")
    for rendition in body["data"]["uploadImage"]["renditions"]:
        rendition_name = rendition["url"].removeprefix(settings.MEDIA_URL)
        assert len(rendition_name) <= rendition_field.max_length
        assert _media_path(rendition_name).is_file()


def test_file_name_over_header_limit(api: GraphQLClient) -> None:
    """A file name too long for the multipart headers is a bad request, and nothing is stored."""
    response = api.upload(_encode(_noise((30, 20)), "PNG"), "😀" * 300 + ".png")

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


def test_same_name_twice(api: GraphQLClient) -> None:
    """A second upload under the same name is stored beside the first, not over it."""
    first = _stored_name(_body(api.upload(_encode(_noise((30, 20), seed=1), "PNG"), "same.png")))
    second = _stored_name(_body(api.upload(_encode(_noise((30, 20), seed=2), "PNG"), "same.png")))

    assert first != second
    assert _media_path(first).read_bytes() != _media_path(second).read_bytes()


def test_title_keeps_original_name(api: GraphQLClient) -> None:
    body = _body(api.upload(_encode(_noise((30, 20)), "PNG"), "../Ünïcødé 😀.png"))

    assert body["data"]["uploadImage"]["title"] == "Ünïcødé 😀.png"


def test_title_too_long_rejected(api: GraphQLClient) -> None:
    max_length = get_image_model()._meta.get_field("title").max_length

    body = _body(api.upload(_encode(_noise((30, 20)), "PNG"), "x.png", title="t" * (max_length + 1)))

    assert _error_code(body) == "VALIDATION_ERROR", body
    errors = _file_errors(body)
    assert errors[0]["field"] == "title"
    assert errors[0]["code"] == "max_length"
    assert get_image_model().objects.count() == 0
    assert media_files() == set()


def test_title_max_length_accepted(api: GraphQLClient) -> None:
    max_length = get_image_model()._meta.get_field("title").max_length
    title = "é" * max_length

    body = _body(api.upload(_encode(_noise((30, 20)), "PNG"), "x.png", title=title))

    assert body.get("errors") is None, body
    assert body["data"]["uploadImage"]["title"] == title


def test_title_null_character_rejected(api: GraphQLClient) -> None:
    body = _body(api.upload(_encode(_noise((30, 20)), "PNG"), "x.png", title="a\x00b"))

    assert _error_code(body) == "VALIDATION_ERROR", body
    errors = _file_errors(body)
    assert errors[0]["field"] == "title"
    assert errors[0]["code"] == "null_characters_not_allowed"
    assert media_files() == set()


def test_file_name_null_character(api: GraphQLClient) -> None:
    """Django's multipart parser drops NUL characters from file names."""
    name = _stored_name(_body(api.upload(_encode(_noise((30, 20)), "PNG"), "a\x00b.png")))

    assert name == "original_images/ab.png"

