"""Checks on uploaded image files beyond Wagtail's own, and safe file names.

``WagtailImageField`` (Wagtail 8.0) checks the size, extension, format and
pixel count of an upload, but two cases slip through it:

* A file whose header is valid but whose pixel data is cut off or corrupt.
  Willow decodes the first frame while Wagtail counts the pixels, and the
  resulting ``OSError`` escapes the form as a server error.
* Wagtail counts the pixels only after that decode, so an image just under
  Pillow's decompression bomb limit is decoded in full even when the site's
  ``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` is far lower.

:class:`DecodedImageField` closes both gaps, and :func:`get_upload_form_class`
puts it into the admin's image form.
"""

from __future__ import annotations

import logging
import os
import re
import struct
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from wagtail.coreutils import string_to_ascii
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import get_image_form

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.forms import ModelForm
    from wagtail.images.models import AbstractImage

logger = logging.getLogger(__name__)

#: Error code for an image whose header is readable but whose pixel data fails
#: to decode. It is the code WagtailImageField (and Django's ImageField) gives
#: a file that is "either not an image or a corrupted image", so a client sees
#: one code for every unreadable file.
DECODE_ERROR_CODE = "invalid_image"

#: Exceptions Pillow 13 raises for broken pixel data: ``OSError`` for truncated
#: or corrupt streams, ``SyntaxError`` and ``ValueError`` for broken chunks and
#: headers, ``EOFError`` for a missing animation frame. Fuzzing truncated and
#: bit-flipped files also found ``struct.error`` and ``IndexError`` from the
#: GIF plugin's frame headers and ``RuntimeError`` from the AVIF plugin.
DECODE_ERRORS = (
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
    IndexError,
    RuntimeError,
)

#: Image formats that Pillow cannot decode, as Willow names them. Willow reads
#: SVG with its own XML parser, so there is no pixel data to check.
NOT_DECODED_FORMATS = frozenset({"svg"})

#: File name stem used when nothing of the uploaded stem survives conversion
#: to an ASCII file name, e.g. for a name made only of emoji.
FALLBACK_FILE_STEM = "image"

#: Characters a file name keeps: those of Django's ``get_valid_filename``.
_UNSAFE_FILE_NAME_CHARACTERS = re.compile(r"(?u)[^-\w.]")

#: An ASCII letter or digit, which a stored file name must contain.
_ASCII_ALPHANUMERIC = re.compile(r"[A-Za-z0-9]")


def safe_file_name(name: str) -> str:
    """Return the base name of ``name`` in a form every storage can hold.

    The stem goes through the steps of ``AbstractImage.get_upload_to``
    (invalid characters removed, then transliterated to ASCII), and leading
    dots are removed so that the file is not hidden. A stem with no ASCII
    letter or digit left, such as one made only of emoji, becomes
    ``FALLBACK_FILE_STEM``. Without this, ``😀.jpg`` would be stored as the
    hidden file ``.jpg``. The extension is kept as sent, so the extension
    checks still see it. ``get_upload_to`` later truncates the name to fit
    the file field.
    """
    base_name = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, extension = os.path.splitext(base_name)
    stem = _UNSAFE_FILE_NAME_CHARACTERS.sub("", stem.strip().replace(" ", "_"))
    stem = "".join(char if ord(char) < 128 else "_" for char in string_to_ascii(stem))
    stem = stem.lstrip(".")
    if not _ASCII_ALPHANUMERIC.search(stem):
        stem = FALLBACK_FILE_STEM
    return f"{stem}{extension}"


def _frame_count(image: PILImage.Image) -> int:
    return getattr(image, "n_frames", 1)


class DecodedImageField(WagtailImageField):
    """``WagtailImageField`` that bounds decoding by the pixel limit and decodes every frame.

    The checks run where Wagtail counts pixels, after its size, extension and
    format checks, so Wagtail's error codes win wherever Wagtail rejects a
    file first.
    """

    def check_image_pixel_size(self, f: Any) -> None:
        if f.image.format_name in NOT_DECODED_FORMATS:
            super().check_image_pixel_size(f)
            return

        self._check_declared_pixels(f)
        try:
            # Willow decodes the first frame here to read the size.
            super().check_image_pixel_size(f)
        except DECODE_ERRORS as exc:
            raise self._decode_error(f, exc) from None
        self._decode_all_frames(f)

    def _too_many_pixels(self, num_pixels: object) -> ValidationError:
        return ValidationError(
            self.error_messages["file_too_many_pixels"]
            % {"num_pixels": num_pixels, "max_pixels_count": self.max_image_pixels},
            code="file_too_many_pixels",
        )

    def _decode_error(self, f: Any, exc: Exception) -> ValidationError:
        logger.info("Upload %r rejected: its image data failed to decode (%s)", f.name, exc)
        return ValidationError(self.error_messages["invalid_image"], code=DECODE_ERROR_CODE)

    def _check_declared_pixels(self, f: Any) -> None:
        """Reject an image whose header declares more pixels than allowed, before decoding.

        ``PIL.Image.open`` reads only the header. Pillow's own decompression
        bomb check runs there too, and Wagtail's pixel check maps its error
        to ``file_too_many_pixels``.
        """
        if self.max_image_pixels is None:
            return
        source = f.image.f
        source.seek(0)
        try:
            with PILImage.open(source) as image:
                width, height = image.size
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
            # Wagtail's check meets the same error next and builds its message.
            logger.info("Upload %r is over Pillow's decompression bomb limit (%s)", f.name, exc)
            return
        except DECODE_ERRORS as exc:
            raise self._decode_error(f, exc) from None
        finally:
            source.seek(0)
        if width * height > self.max_image_pixels:
            raise self._too_many_pixels(width * height)

    def _decode_all_frames(self, f: Any) -> None:
        """Decode every frame, so that no rendition meets broken data later.

        Pillow decodes one frame at a time, so memory does not grow with the
        number of frames. The pixels of all frames together must fit
        ``max_image_pixels``, the rule Wagtail applies when Wand counts the
        frames (with Pillow alone, Wagtail counts one frame).
        """
        source = f.image.f
        source.seek(0)
        try:
            with PILImage.open(source) as image:
                width, height = image.size
                frames = _frame_count(image)
                num_pixels = width * height * frames
                if self.max_image_pixels is not None and num_pixels > self.max_image_pixels:
                    raise self._too_many_pixels(num_pixels)
                for index in range(frames):
                    image.seek(index)
                    image.load()
        except DECODE_ERRORS as exc:
            raise self._decode_error(f, exc) from None
        finally:
            source.seek(0)


def get_upload_form_class(
    image_model: type[AbstractImage], fields: Iterable[str]
) -> type[ModelForm]:
    """Return the admin's image form for ``fields``, with a :class:`DecodedImageField`.

    The form class is built on each call, as ``get_image_form`` does, so the
    field reads the current ``WAGTAILIMAGES_*`` settings.
    """
    form_class = get_image_form(image_model, fields=list(fields))
    label = form_class.base_fields["file"].label
    attributes = {"__module__": __name__, "file": DecodedImageField(label=label)}
    return type(f"Decoded{form_class.__name__}", (form_class,), attributes)
