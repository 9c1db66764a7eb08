"""Test-only models that refer to Wagtail images."""

from __future__ import annotations

from django.db import models
from wagtail.images import get_image_model_string


class ProtectedImageUse(models.Model):
    """Content that uses an image and, through ``PROTECT``, blocks its deletion."""

    image = models.ForeignKey(
        get_image_model_string(), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        app_label = "testapp"
