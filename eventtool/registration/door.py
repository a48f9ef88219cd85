"""The personal door code (issue 29): what the QR code in the confirmation and reminder mails, on
'mijn aanmelding', on the printed letter and on a badge holds, and what a scanner at the door types.

It holds nothing but a random token: not the cancellation code, no personal data. The token is
HMAC-SHA256 of the registration's id and a random nonce stored with it (`door_nonce`, 128 bits) under
the server's secret key (core.config.secret_key, kept out of the database), so the mail, the personal
page, the letter and the badge all show the same code without the code being stored; the store keeps
only its SHA-256 (`Registration.door_code_hash`) to find the registration by at the door. Without the
key the nonce says nothing; without the nonce a registration id that SQLite hands out again after a
deletion (a merge) would get the deleted one's code back. A new code (`renew`) draws a new nonce:
every code sent or printed before stops working. A new sign-up after a cancellation, and a move to
another event, get a new code too."""
from __future__ import annotations

import base64
import hashlib
import hmac
import io
import logging
import re
import secrets

import segno
import zxingcpp
from PIL import Image
from sqlmodel import Session, select

from ..core import audit
from ..core.config import secret_key
from ..core.errors import NotFound
from .models import ERASED, Registration

log = logging.getLogger("eventtool.door")

# 20 characters of base32 (A-Z, 2-7): 100 bits, upper case only, so a QR code holds it in its compact
# alphanumeric mode and a handheld scanner types it the same on any keyboard layout.
LENGTH = 20
PREFIX = "ET"  # so a scan of some other QR code (a poster's URL) is told apart from a mistyped code
_FORMAT = re.compile(rf"{PREFIX}[A-Z2-7]{{{LENGTH}}}")


def token(reg: Registration) -> str:
    """The door code of a registration (it must have an id)."""
    mac = hmac.new(secret_key(), f"door:{reg.id}:{reg.door_nonce}".encode(), hashlib.sha256).digest()
    return PREFIX + base64.b32encode(mac).decode("ascii")[:LENGTH]


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def normalise(typed: str) -> str:
    """What a scanner or a person typed, as a code: spaces, dashes and case do not matter, nor a
    scanner's trailing Enter or tab."""
    return re.sub(r"[\s\-]", "", typed or "").upper()


def well_formed(typed: str) -> bool:
    return bool(_FORMAT.fullmatch(normalise(typed)))


def assign(reg: Registration) -> None:
    """Store the hash of the registration's current code (after it has an id), drawing its nonce
    if it has none yet."""
    reg.door_nonce = reg.door_nonce or secrets.token_hex(16)
    reg.door_code_hash = _hash(token(reg))


def new_code(reg: Registration) -> None:
    """A new code: every earlier code of this registration stops working."""
    reg.door_nonce = secrets.token_hex(16)
    assign(reg)


def forget(reg: Registration) -> None:
    """Erasure: no code finds this registration any more."""
    reg.door_code_hash = reg.door_nonce = None


def find(session: Session, typed: str) -> Registration | None:
    """The registration a door code belongs to, or None (a mistyped, old or someone else's QR code)."""
    code = normalise(typed)
    if not _FORMAT.fullmatch(code):
        return None
    return session.exec(select(Registration).where(Registration.door_code_hash == _hash(code))).first()


@audit.action("registration.renew_door_code")
def renew(session: Session, registration_id: int) -> Registration:
    """Staff, for a code that was lost or passed on: a new one, and the old one no longer works."""
    reg = session.get(Registration, registration_id)
    if reg is None or reg.door_code_hash is None:
        raise NotFound("registration.not_found")
    new_code(reg)
    session.flush()
    return reg


def fill_missing(session: Session) -> int:
    """At start-up: give every registration made before door codes existed its code, and, when the
    secret key is not the one the stored codes were made with (a new key file, a key set or changed
    in the environment), make every living registration's hash again, so that what is shown from now
    on works at the door (what was sent or printed before cannot, and the log says so). Whether the
    key changed is seen on the newest registration with a code. Returns how many were (re)made."""
    alive = ~Registration.cancel_token_hash.startswith(ERASED)
    newest = session.exec(select(Registration).where(Registration.door_code_hash.is_not(None), alive)
                          .order_by(Registration.id.desc()).limit(1)).first()
    if newest is not None and newest.door_nonce and newest.door_code_hash != _hash(token(newest)):
        log.warning("the secret key is not the one the door codes were made with: every door code is made "
                    "again, and the QR codes sent or printed before no longer work at the door")
        regs = session.exec(select(Registration).where(alive)).all()
    else:
        regs = session.exec(select(Registration).where(Registration.door_code_hash.is_(None), alive)).all()
    for reg in regs:
        assign(reg)
    session.flush()
    return len(regs)


def qr_png(code: str, scale: int = 6) -> bytes:
    """The code as a QR image (PNG, black on white, with the quiet zone scanners need)."""
    out = io.BytesIO()
    segno.make_qr(code, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()



def read_image(data: bytes) -> str | None:
    """The door code in a photo (the door's camera), or None: no QR code found, someone else's QR
    code, or not an image at all."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, ValueError, Image.DecompressionBombError):  # not an image we can read
        return None
    for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
        if well_formed(found.text):
            return normalise(found.text)
    return None
