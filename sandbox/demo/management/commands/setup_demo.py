"""Fill the sandbox with a superuser, demo images and a fresh API token.

Safe to run any number of times: the user and the images are created only
when missing. Each run revokes the API tokens that earlier runs created and
creates a new one, because only a token's digest is stored and the plaintext
cannot be shown again.
"""

from __future__ import annotations

import json
import shlex
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import APIToken, Collection

from demo.artwork import SCENES, render_jpeg

ADMIN_USERNAME = "admin"
#: Password of the demo superuser. The sandbox is a local demo only: never
#: use this password, or the sandbox settings, on a reachable server.
ADMIN_PASSWORD = "changeme"
ADMIN_EMAIL = "admin@example.com"

#: Name of the API tokens this command creates, and revokes on the next run.
TOKEN_NAME = "sandbox demo"

#: Picture that the printed curl command uploads, written next to manage.py.
UPLOAD_EXAMPLE_PATH = Path(settings.BASE_DIR) / "upload-example.jpg"
UPLOAD_EXAMPLE_SCENE = "Ocean waves"

UPLOAD_MUTATION = (
    "mutation($file: Upload!, $title: String){ uploadImage(file: $file, title: $title)"
    "{ id title fileUrl renditions { name url width height } } }"
)


class Command(BaseCommand):
    help = (
        "Create the demo superuser 'admin' and demo images if missing, then create "
        "a new API token for 'admin' and print it with the sandbox URLs."
    )

    def handle(self, *args, **options) -> None:
        admin, admin_created = self.ensure_admin()
        self.ensure_demo_images(admin)
        token = self.create_token(admin)
        self.write_upload_example()
        self.print_summary(token, admin_created)

    def ensure_admin(self):
        """Create the demo superuser if missing. Return it and whether this call created it."""
        user_model = get_user_model()
        admin = user_model.objects.filter(username=ADMIN_USERNAME).first()
        if admin is None:
            admin = user_model.objects.create_superuser(
                ADMIN_USERNAME, ADMIN_EMAIL, ADMIN_PASSWORD
            )
            self.stdout.write(f"Created superuser '{ADMIN_USERNAME}'.")
            return admin, True

        if not (admin.is_active and admin.is_superuser):
            self.stderr.write(
                self.style.WARNING(
                    f"User '{ADMIN_USERNAME}' exists but is not an active superuser, "
                    "so the token may lack permission to upload. Fix the user in the "
                    "admin, or delete it and run this command again."
                )
            )
        return admin, False

    def ensure_demo_images(self, admin) -> None:
        image_model = get_image_model()
        root_collection = Collection.get_first_root_node()
        created = 0
        for title in SCENES:
            if image_model.objects.filter(title=title).exists():
                continue
            image = image_model(
                title=title,
                file=ImageFile(BytesIO(render_jpeg(title)), name=f"{slugify(title)}.jpg"),
                collection=root_collection,
                uploaded_by_user=admin,
            )
            # Fill file_size and file_hash as the admin's upload form does.
            image._set_image_file_metadata()
            image.save()
            created += 1
        existing = len(SCENES) - created
        self.stdout.write(f"Demo images: {created} created, {existing} already present.")

    @transaction.atomic
    def create_token(self, admin) -> str:
        """Revoke the demo tokens of earlier runs and return a new token's plaintext."""
        earlier_tokens = APIToken.objects.filter(
            user=admin, name=TOKEN_NAME, revoked_at__isnull=True
        )
        for earlier in earlier_tokens:
            earlier.revoke()
            log(earlier, "wagtail.apitoken.revoke", data={"source": "setup_demo"})

        instance, plaintext = APIToken.create_token(user=admin, name=TOKEN_NAME)
        log(instance, "wagtail.apitoken.create", data={"source": "setup_demo"})
        return plaintext

    def write_upload_example(self) -> None:
        if not UPLOAD_EXAMPLE_PATH.exists():
            UPLOAD_EXAMPLE_PATH.write_bytes(render_jpeg(UPLOAD_EXAMPLE_SCENE))

    def print_summary(self, token: str, admin_created: bool) -> None:
        base_url = settings.SANDBOX_BASE_URL
        if admin_created:
            password_note = f"password: {ADMIN_PASSWORD}"
        else:
            password_note = (
                f"password unchanged since the user was created, '{ADMIN_PASSWORD}' "
                "if this command created it"
            )
        graphiql_headers = json.dumps({"Authorization": f"Bearer {token}"})
        operations = {
            "query": UPLOAD_MUTATION,
            "variables": {"file": None, "title": "Uploaded with curl"},
        }
        curl_lines = [
            f"curl -sS {base_url}/graphql/",
            f"-H {shlex.quote(f'Authorization: Bearer {token}')}",
            f"-F {shlex.quote('operations=' + json.dumps(operations, separators=(',', ':')))}",
            f"-F {shlex.quote('map=' + json.dumps({'0': ['variables.file']}, separators=(',', ':')))}",
            f"-F {shlex.quote(f'0=@{UPLOAD_EXAMPLE_PATH}')}",
        ]
        curl_command = " \\\n  ".join(curl_lines)

        self.stdout.write(
            f"""
Sandbox ready. LOCAL DEMO ONLY: the password and settings are not safe on a
reachable server.

  Wagtail admin: {base_url}/admin/
                 user: {ADMIN_USERNAME}, {password_note}
  GraphiQL:      {base_url}/graphql/
                 Log in to the admin first, or paste this into GraphiQL's
                 Headers tab: {graphiql_headers}

API token for '{ADMIN_USERNAME}'. It is shown only now, and this run revoked the
demo tokens of earlier runs:

  {token}

Upload an image through the GraphQL multipart request spec:

{curl_command}
"""
        )
