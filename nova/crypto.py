"""Key pair material: generate SSH/x509 keys and fingerprint public keys."""

import base64
import binascii
import datetime
import hashlib

from cryptography import exceptions as crypto_exceptions
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography import x509
from cryptography.x509.oid import NameOID

from nova import exception


def _colon_hex(digest):
    return ':'.join('%02x' % b for b in digest)


def generate_fingerprint(public_key):
    """MD5 fingerprint of an OpenSSH public key line, as ssh-keygen -E md5 shows it."""
    try:
        parts = public_key.strip().split()
        if len(parts) < 2:
            raise ValueError('not an OpenSSH public key line')
        key = serialization.load_ssh_public_key(' '.join(parts[:2]).encode())
        blob = key.public_bytes(serialization.Encoding.OpenSSH,
                                serialization.PublicFormat.OpenSSH).split()[1]
        return _colon_hex(hashlib.md5(base64.b64decode(blob), usedforsecurity=False).digest())
    except (ValueError, TypeError, IndexError, binascii.Error, NotImplementedError,
            AttributeError, crypto_exceptions.UnsupportedAlgorithm):
        # (An unknown key type, 'garbage AAAA...', is UnsupportedAlgorithm.)
        raise exception.InvalidKeypair(reason='failed to generate fingerprint')


def generate_x509_fingerprint(pem_key):
    """SHA-1 fingerprint of a PEM certificate."""
    try:
        if isinstance(pem_key, str):
            pem_key = pem_key.encode('utf-8')
        cert = x509.load_pem_x509_certificate(pem_key)
        return _colon_hex(cert.fingerprint(hashes.SHA1()))
    except (ValueError, TypeError):
        raise exception.InvalidKeypair(
            reason='failed to generate X509 fingerprint. Error message: invalid certificate')


def generate_key_pair(bits=2048):
    """(private_key_pem, public_key_openssh, fingerprint) for a new RSA key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                           serialization.PublicFormat.OpenSSH).decode()
    public += ' Generated-by-Nova'
    return private, public, generate_fingerprint(public)


def generate_winrm_x509_cert(user_id, bits=2048):
    """(private_key_pem, certificate_pem, fingerprint) for an x509 key pair."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, user_id)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=3650))
            .sign(key, hashes.SHA256()))
    private = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    return private, cert_pem, generate_x509_fingerprint(cert_pem)
