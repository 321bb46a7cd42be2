"""Citizens' photos: check an upload is a real image, keep it privately, re-encode it without metadata.

The original never leaves PRIVATE_UPLOAD_ROOT: ``reencode`` writes a fresh
JPEG (orientation applied, at most 1600 px, no EXIF/GPS) that alone is served.
Uploads accepted while the rest of a form still had errors are "stashed" under
a signed token, so the citizen never has to pick the same photos again.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

try:  # HEIC photos from phones, when the optional opener is present.
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - pillow-heif is in requirements.txt
    pass

MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# 40 megapixels is more than any phone camera; larger claims are decompression bombs.
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "HEIC", "MPO"}
MAX_SIDE = 1600
THUMB_SIDE = 400
STASH_SALT = "complaints.photos.stash"
STASH_MAX_AGE = 24 * 3600


@dataclass(frozen=True)
class PhotoCheck:
    format: str
    width: int
    height: int
    gps: tuple[float, float] | None


def too_many_photos(limit: int | None = None) -> str:
    """The refusal of more photos than ``limit`` (``MAX_PHOTOS`` when None), with that number: the filing form, its
    page, the REST API and the community proposals each wrote "at most 3" by hand."""
    limit = MAX_PHOTOS if limit is None else limit
    return ngettext("Please add at most %(counter)s photo.", "Please add at most %(counter)s photos.", limit) % {
        "counter": limit
    }


def with_photo_limit(text):
    """``text`` (a string or an ``ngettext_lazy`` counting ``"count"``) with ``%(count)s`` the number of photos a
    report takes, filled each time it is shown, in the language then active: the help texts, messages and API docs
    made at import said "3" by hand."""
    return lazy(lambda: text % {"count": MAX_PHOTOS}, str)()


def _count_label() -> str:
    limit = MAX_PHOTOS
    return ngettext("Photo (up to %(counter)s)", "Photos (up to %(counter)s)", limit) % {"counter": limit}


def _count_and_size_label() -> str:
    limit, megabytes = MAX_PHOTOS, MAX_PHOTO_BYTES // (1024 * 1024)
    return ngettext(
        "Photo (up to %(counter)s, at most %(megabytes)s MB)",
        "Photos (up to %(counter)s, at most %(megabytes)s MB each)",
        limit,
    ) % {"counter": limit, "megabytes": megabytes}


# The photo fields' labels, with the limits the forms and actions apply. Lazy: a form's label is built at import,
# before any request; these are read when the form is shown, in its page's language. The ticket page's own
# label (templates/complaints/ticket.html) says the same words.
PHOTOS_LABEL = lazy(_count_label, str)()
PHOTOS_WITH_SIZE_LABEL = lazy(_count_and_size_label, str)()


def _read(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _open_guarded(data: bytes) -> Image.Image:
    """Open an image, turning Pillow's decompression-bomb warning into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise Image.DecompressionBombError("too many pixels")
        return image


def check_photo(upload) -> PhotoCheck:
    """Refuse what is not a real, reasonably sized JPEG/PNG/WebP/HEIC image; return its format and GPS."""
    name = getattr(upload, "name", "") or _("photo")
    size = getattr(upload, "size", None)
    if size is None or size > MAX_PHOTO_BYTES:
        data = _read(upload)
        size = len(data)
    if size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("%(name)s is larger than 10 MB. Please choose a smaller photo."), code="too_large", params={"name": name}
        )
    data = _read(upload)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = _open_guarded(data)
            image_format = (probe.format or "").upper()
            probe.verify()
            # verify() checks the structure; decoding proves the pixels are really there.
            image = _open_guarded(data)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("%(name)s is too large in pixels to be a photo. Please choose another one."),
            code="bomb",
            params={"name": name},
        )
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            _("%(name)s is not a photo we can read. Please choose a JPEG, PNG, WebP or HEIC image."),
            code="not_image",
            params={"name": name},
        )
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("%(name)s is not a JPEG, PNG, WebP or HEIC image."), code="format", params={"name": name}
        )
    return PhotoCheck(format=image_format, width=image.width, height=image.height, gps=gps_of(image))


def _degrees(value) -> float:
    d, m, s = (float(x) for x in value)
    return d + m / 60 + s / 3600


def gps_of(image: Image.Image) -> tuple[float, float] | None:
    """The (lat, lng) the camera wrote into EXIF, if any: used only to suggest the pin."""
    try:
        gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        if not gps or 2 not in gps or 4 not in gps:
            return None
        lat = _degrees(gps[2]) * (-1 if str(gps.get(1, "N")).upper().startswith("S") else 1)
        lng = _degrees(gps[4]) * (-1 if str(gps.get(3, "E")).upper().startswith("W") else 1)
    except Exception:  # malformed EXIF is common; a suggestion is never worth an error
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return round(lat, 6), round(lng, 6)


# --- private storage of originals -------------------------------------------------


def private_root() -> Path:
    return Path(settings.PRIVATE_UPLOAD_ROOT)


def save_original(upload) -> str:
    """Copy the upload under PRIVATE_UPLOAD_ROOT/originals; return the path relative to that root."""
    relative = Path("originals") / f"{uuid.uuid4().hex}"
    target = private_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(_read(upload))
    return str(relative)


def delete_private(relative: str) -> None:
    if relative:
        (private_root() / relative).unlink(missing_ok=True)


def _clean_image(data: bytes, max_side: int) -> Image.Image:
    """The picture alone: orientation applied, at most ``max_side`` pixels, pasted into a new image, so nothing of
    the file's metadata (EXIF, GPS, comments, ICC and XMP blocks) comes along."""
    image = _open_guarded(data)
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGB")  # drops alpha and palette
    image.thumbnail((max_side, max_side))
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean


def clean_jpeg(upload, *, max_side: int = MAX_SIDE) -> bytes:
    """An uploaded photo checked as a citizen's is (``check_photo``: size, format, pixel count; ValidationError
    naming the file) and re-encoded as a clean JPEG: for photos kept elsewhere than on a ticket (planning)."""
    check_photo(upload)
    out = io.BytesIO()
    _clean_image(_read(upload), max_side).save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def reencode(data: bytes) -> tuple[bytes, bytes, int, int]:
    """A clean JPEG (orientation applied, ≤ 1600 px, no metadata) and its thumbnail, with the size."""
    clean = _clean_image(data, MAX_SIDE)
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=85, optimize=True)
    thumb = clean.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, "JPEG", quality=80)
    return out.getvalue(), thumb_out.getvalue(), clean.width, clean.height


# --- stash: accepted uploads kept across a failed form ---------------------------


def stash_upload(upload) -> str:
    """Keep an accepted upload privately and return a signed token naming it."""
    key = uuid.uuid4().hex
    target = private_root() / "stash" / key
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(_read(upload))
    name = Path(getattr(upload, "name", "") or "photo.jpg").name[:100]
    return signing.dumps({"k": key, "n": name}, salt=STASH_SALT, compress=True)


def stash_info(token: str) -> dict | None:
    """The stashed file's key and name if the token is genuine, fresh and the file still exists."""
    try:
        info = signing.loads(token, salt=STASH_SALT, max_age=STASH_MAX_AGE)
    except signing.BadSignature:
        return None
    key = str(info.get("k", ""))
    if not key.isalnum() or not (private_root() / "stash" / key).is_file():
        return None
    return {"key": key, "name": str(info.get("n", "photo.jpg"))}


def lost_stash_names(tokens) -> list[str]:
    """The names of the photos behind genuine ``tokens`` that can no longer be kept: older than a day, or their file
    removed meanwhile. A form restored from a phone's draft sends such tokens; the citizen must be told, not find
    the report filed without the photo. A forged token names nothing."""
    names = []
    for token in tokens:
        if not token or stash_info(token) is not None:
            continue
        try:
            info = signing.loads(token, salt=STASH_SALT)
        except signing.BadSignature:
            continue
        names.append(Path(str(info.get("n", "")) or "photo.jpg").name[:100])
    return names


def kept_stash(tokens, limit: int = MAX_PHOTOS) -> list[dict]:
    """The genuine, fresh ones of a form's stash ``tokens`` as ``{"token", "name"}``, at most ``limit``."""
    kept = []
    for token in tokens:
        info = stash_info(token)
        if info is not None and len(kept) < limit:
            kept.append({"token": token, "name": info["name"]})
    return kept


def open_stashed(token: str) -> SimpleUploadedFile | None:
    info = stash_info(token)
    if info is None:
        return None
    data = (private_root() / "stash" / info["key"]).read_bytes()
    return SimpleUploadedFile(info["name"], data)


def discard_stashed(tokens) -> None:
    for token in tokens:
        info = stash_info(token)
        if info is not None:
            (private_root() / "stash" / info["key"]).unlink(missing_ok=True)
