"""Benchmark the ``images`` listing against a per-image rendition baseline.

Run from the repository root with the test extras installed::

    python benchmarks/listing.py [--images 50] [--repeat 20]

It migrates a throwaway SQLite database in memory and stores real image files
in a temporary MEDIA_ROOT. It then prints the SQL queries of one listing and
the median wall time, for the GraphQL listing and for a baseline that calls
``get_rendition()`` once for each image and spec. The baseline runs twice:
with Wagtail's rendition cache warm (the settings' in-process cache), and
with it emptied before each listing, as on a site whose cache has evicted the
renditions. All rows are measured in the same run on the same machine, so
compare rows, not figures across machines.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.images import ImageFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from PIL import Image as PILImage  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402

from wagtail_write_graphql import conf  # noqa: E402
from wagtail_write_graphql.auth import AuthMethod, Credentials  # noqa: E402
from wagtail_write_graphql.graphql.context import APIContext  # noqa: E402
from wagtail_write_graphql.graphql.schema import schema  # noqa: E402

#: The listing a front end sends: every image with its rendition URLs.
LISTING_QUERY = """
query($limit: Int) {
  images(limit: $limit) { totalCount items { id title renditions { name url width height } } }
}
"""


def _create_images(count: int, user) -> None:
    image_model = get_image_model()
    for index in range(count):
        buffer = io.BytesIO()
        PILImage.new("RGB", (1200, 900), (index * 5 % 256, 80, 160)).save(buffer, "JPEG")
        image = image_model(
            title=f"Benchmark image {index}",
            file=ImageFile(buffer, name=f"bench-{index}.jpg"),
            uploaded_by_user=user,
        )
        image._set_image_file_metadata()
        image.save()


def _graphql_listing(context: APIContext, limit: int) -> None:
    result = schema.execute_sync(LISTING_QUERY, {"limit": limit}, context_value=context)
    if result.errors:
        raise SystemExit(f"listing failed: {result.errors}")


def _baseline_listing(limit: int) -> None:
    """List the way a naive resolver would: one rendition lookup per spec."""
    specs = conf.get_image_renditions().values()
    for image in get_image_model().objects.order_by("-created_at", "-id")[:limit]:
        for spec in specs:
            image.get_rendition(spec).url  # noqa: B018 - the lookup is the work


def _clear_rendition_cache() -> None:
    get_image_model().get_rendition_model().cache_backend.clear()


def _measure(name: str, run, repeat: int, before=None) -> None:
    """Print the queries of one listing and the median time of ``repeat`` listings.

    ``before`` runs ahead of every measured listing, outside the timing.
    """
    run()  # the first call creates missing renditions; measure later calls
    if before:
        before()
    with CaptureQueriesContext(connection) as queries:
        run()
    timings = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    median_ms = statistics.median(timings) * 1000
    print(f"{name:<24} {len(queries.captured_queries):>8} {median_ms:>12.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=50, help="images to create and list")
    parser.add_argument("--repeat", type=int, default=20, help="timed listings for each row")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench")
    _create_images(args.images, user)
    request = RequestFactory().post("/graphql/")
    request.user = user
    context = APIContext(request=request, credentials=Credentials(user, AuthMethod.TOKEN))

    print(f"{args.images} images, {len(conf.get_image_renditions())} renditions each")
    print(f"{'listing':<24} {'queries':>8} {'median ms':>12}")
    _measure("graphql images", lambda: _graphql_listing(context, args.images), args.repeat)
    _measure("baseline, warm cache", lambda: _baseline_listing(args.images), args.repeat)
    _measure(
        "baseline, empty cache",
        lambda: _baseline_listing(args.images),
        args.repeat,
        before=_clear_rendition_cache,
    )


if __name__ == "__main__":
    main()
