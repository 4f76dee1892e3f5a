"""Key pair material: fingerprints as ssh-keygen shows them, bad keys refused as
InvalidKeypair, generated keys and certificates that fingerprint consistently."""

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from nova import crypto
from nova import exception

# ssh-keygen -l -E md5 prints this fingerprint for this key.
PUBLIC = ('ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDx8nkQv/zgGgB4rMYmIf+6A4l6Rr+o/6lHBQdW5aYd'
          '44bd8JQUXSPCz7uO+NHWKMqT5lkh8kJ7Kb+qX3G0RqFh8eZeGYg5DWQ+B+ioHXGFrK8+pRNzmcAhD5HG'
          'TlfRi0wyN5TtnAfsLi5OtpfLQOlnkF4dLq7P+4qEC6NT1N/t1Q== Generated-by-Nova')


def test_a_public_key_is_fingerprinted_whatever_its_comment():
    fingerprint = crypto.generate_fingerprint(PUBLIC)
    assert len(fingerprint.split(':')) == 16
    assert crypto.generate_fingerprint(PUBLIC.rsplit(' ', 1)[0] + '  \n') == fingerprint


@pytest.mark.parametrize('key', ['', 'ssh-rsa', 'ssh-rsa not-base64!', 'garbage garbage',
                                 'ssh-rsa AAAA'])
def test_what_is_no_public_key_is_an_invalid_keypair(key):
    with pytest.raises(exception.InvalidKeypair):
        crypto.generate_fingerprint(key)


def test_a_generated_key_pair_belongs_together():
    private, public, fingerprint = crypto.generate_key_pair(bits=1024)
    assert public.endswith(' Generated-by-Nova')
    assert crypto.generate_fingerprint(public) == fingerprint
    key = serialization.load_pem_private_key(private.encode(), password=None)
    derived = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                            serialization.PublicFormat.OpenSSH).decode()
    assert public.startswith(derived)


def test_an_x509_pair_for_winrm():
    private, cert_pem, fingerprint = crypto.generate_winrm_x509_cert('user-1', bits=1024)
    assert private.startswith('-----BEGIN PRIVATE KEY-----')
    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    assert cert.subject.rfc4514_string() == 'CN=user-1'
    assert crypto.generate_x509_fingerprint(cert_pem) == fingerprint
    assert len(fingerprint.split(':')) == 20
    with pytest.raises(exception.InvalidKeypair):
        crypto.generate_x509_fingerprint('-----BEGIN CERTIFICATE-----\nnope\n')
