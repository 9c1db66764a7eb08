"""The GraphQL documents that the REST endpoints run, one per endpoint.

Each endpoint sends its document through the same ``schema`` as the GraphQL
endpoint, so both surfaces share every permission check, validation rule and
error code. ``IMAGE_FIELDS`` selects exactly what the REST image object needs.
"""

#: The image fields behind one REST image object (see ``representations``).
IMAGE_FIELDS = """
fragment RestImageFields on Image {
  id
  title
  width
  height
  fileUrl
  createdAt
  renditions { name url }
}
"""

#: ``GET /images/``: one page of images and the total number of matches.
LIST_IMAGES = (
    """
query RestListImages($search: String, $offset: Int, $limit: Int) {
  images(search: $search, offset: $offset, limit: $limit) {
    totalCount
    items { ...RestImageFields }
  }
}
"""
    + IMAGE_FIELDS
)

#: ``GET /images/{id}/``.
GET_IMAGE = (
    """
query RestGetImage($id: ID!) {
  image(id: $id) { ...RestImageFields }
}
"""
    + IMAGE_FIELDS
)

#: ``POST /images/``. ``$file`` is the request's Django ``UploadedFile``.
UPLOAD_IMAGE = (
    """
mutation RestUploadImage($file: Upload!, $title: String) {
  uploadImage(file: $file, title: $title) { ...RestImageFields }
}
"""
    + IMAGE_FIELDS
)

#: ``PATCH /images/{id}/``.
UPDATE_IMAGE = (
    """
mutation RestUpdateImage($id: ID!, $title: String!) {
  updateImage(id: $id, title: $title) { ...RestImageFields }
}
"""
    + IMAGE_FIELDS
)

#: ``DELETE /images/{id}/``.
DELETE_IMAGE = """
mutation RestDeleteImage($id: ID!) {
  deleteImage(id: $id) { id }
}
"""
