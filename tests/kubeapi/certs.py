"""certs.py — the emulator's test PKI: one CA per `TestCA`, server certificates for
127.0.0.1/localhost (valid, expired, for the wrong host, or self-signed), and client
certificates whose CN is the user name and whose O entries are the groups, as the API server
reads them.

Everything is made in memory with `cryptography` (pinned in tests/requirements.txt) and
returned as PEM bytes; `write_pem()` puts PEM on disk when a CLI needs a file.
"""
from __future__ import annotations

import datetime as _dt
import ipaddress
import os
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# Which server certificate to present; each lets a test see one TLS failure in the client.
SERVER_CERT_KINDS = ("valid", "expired", "wrong_host", "self_signed")


def _key() -> ec.EllipticCurvePrivateKey:
    # P-256 keys are generated in a millisecond; RSA would cost ~50 ms per certificate.
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _name(cn: str, orgs: tuple[str, ...] = ()) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in orgs]
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


class TestCA:
    """A throw-away certificate authority. `ca_pem` is what a kubeconfig's
    certificate-authority-data holds."""

    __test__ = False  # not a pytest test class despite the name

    def __init__(self, common_name: str = "kubeapi-emulator-ca"):
        self._key = _key()
        now = _now()
        self._name = _name(common_name)
        self._cert = (
            x509.CertificateBuilder()
            .subject_name(self._name).issuer_name(self._name)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _dt.timedelta(minutes=5))
            .not_valid_after(now + _dt.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .sign(self._key, hashes.SHA256())
        )
        self.ca_pem: bytes = self._cert.public_bytes(serialization.Encoding.PEM)

    def _issue(self, subject: x509.Name, key, *, server: bool, hosts=(), expired=False,
               issuer_key=None, issuer_name=None) -> bytes:
        now = _now()
        if expired:
            not_before, not_after = now - _dt.timedelta(days=3), now - _dt.timedelta(days=1)
        else:
            not_before, not_after = now - _dt.timedelta(minutes=5), now + _dt.timedelta(days=1)
        usage = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject).issuer_name(issuer_name or self._name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        )
        if hosts:
            sans = []
            for h in hosts:
                try:
                    sans.append(x509.IPAddress(ipaddress.ip_address(h)))
                except ValueError:
                    sans.append(x509.DNSName(h))
            builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
        cert = builder.sign(issuer_key or self._key, hashes.SHA256())
        return cert.public_bytes(serialization.Encoding.PEM)

    def server_cert(self, kind: str = "valid") -> tuple[bytes, bytes]:
        """(cert_pem, key_pem) for 127.0.0.1, ::1 and localhost; `kind` picks a broken variant."""
        if kind not in SERVER_CERT_KINDS:
            raise ValueError(f"server cert kind must be one of {SERVER_CERT_KINDS}")
        key = _key()
        hosts = ("127.0.0.1", "::1", "localhost")
        if kind == "wrong_host":
            hosts = ("kubernetes.invalid",)
        issuer_key = issuer_name = None
        if kind == "self_signed":
            issuer_key, issuer_name = key, _name("kube-apiserver")
        cert = self._issue(_name("kube-apiserver"), key, server=True, hosts=hosts,
                           expired=(kind == "expired"), issuer_key=issuer_key,
                           issuer_name=issuer_name)
        return cert, _key_pem(key)

    def client_cert(self, user: str, groups: tuple[str, ...] | list[str] = (),
                    expired: bool = False) -> tuple[bytes, bytes]:
        """(cert_pem, key_pem) that authenticates as `user` (CN) in `groups` (O)."""
        key = _key()
        cert = self._issue(_name(user, tuple(groups)), key, server=False, expired=expired)
        return cert, _key_pem(key)


def write_pem(data: bytes, directory: str | None = None, suffix: str = ".pem") -> str:
    """Writes PEM bytes to a new private file and returns its path."""
    fd, path = tempfile.mkstemp(suffix=suffix, dir=directory)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return path
