/* COpenSSL shim: exposes OpenSSL 3.0 (Debian's libssl-dev) to Swift. A system-library target
 * cannot hold .c files, so every helper here is static inline. They exist because Swift cannot
 * call OpenSSL's function-like macros (SSL_CTX_set_min_proto_version, SSL_CTX_set_mode,
 * BIO_get_mem_data, SSL_set_tlsext_host_name, EVP_EC_gen), its variadic key generator, or see
 * SSL_OP_* constants (built with the SSL_OP_BIT() macro), and because the ALPN selection
 * callback is simplest as a plain C function. Policy (which options, which versions) stays in
 * Swift (Sources/TLSKit); nothing here decides it. */
#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>

/* SSL_OP_* are SSL_OP_BIT(n) expressions, which the Swift importer drops. */
static const uint64_t CSSL_OP_CIPHER_SERVER_PREFERENCE = SSL_OP_CIPHER_SERVER_PREFERENCE;
static const uint64_t CSSL_OP_NO_RENEGOTIATION = SSL_OP_NO_RENEGOTIATION;
static const uint64_t CSSL_OP_NO_TICKET = SSL_OP_NO_TICKET;
static const uint64_t CSSL_OP_NO_COMPRESSION = SSL_OP_NO_COMPRESSION;

static inline int cssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}
static inline int cssl_ctx_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}
static inline long cssl_ctx_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
static inline long cssl_ctx_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}
static inline int cssl_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/* Pointer to and length of the bytes a memory BIO holds (nothing is copied). */
static inline long cssl_bio_get_mem_data(BIO *bio, const char **data) {
    char *p = NULL;
    long n = BIO_get_mem_data(bio, &p);
    *data = p;
    return n;
}

/* Bytes a memory BIO has allocated, used or not (BIO_get_mem_ptr is a macro). */
static inline size_t cssl_bio_mem_capacity(BIO *bio) {
    BUF_MEM *mem = NULL;
    if (BIO_get_mem_ptr(bio, &mem) <= 0 || mem == NULL) return 0;
    return mem->max;
}

/* A fresh ECDSA P-256 key (EVP_EC_gen is a macro around the variadic EVP_PKEY_Q_keygen). */
static inline EVP_PKEY *cssl_ec_p256_keygen(void) { return EVP_EC_gen("P-256"); }

/* Adds one X509v3 extension given in openssl.cnf syntax ("critical,CA:TRUE"), with the
 * certificate as its own issuer so subjectKeyIdentifier/authorityKeyIdentifier resolve.
 * X509V3_set_ctx_nodb is a macro, hence the helper. 1 on success, 0 on failure. */
static inline int cssl_x509_add_self_ext(X509 *cert, int nid, const char *value) {
    X509V3_CTX ctx;
    memset(&ctx, 0, sizeof(ctx));
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (ext == NULL) return 0;
    int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return ok;
}

/* ALPN, server side: choose "http/1.1" when the client offers it, whatever else it offers
 * (client-go offers h2 first; the proxy speaks HTTP/1.1 only). A client that offers no
 * http/1.1 gets no ALPN answer rather than a fatal alert: RFC 7540 3.3 then obliges it not to
 * speak h2, and our HTTP/1.1 parser refuses anything else with a proper 400. `out` points into
 * `in`, which OpenSSL keeps alive for the handshake (as SSL_CTX_set_alpn_select_cb requires). */
static inline int cssl_alpn_select_http11(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                                          const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl;
    (void)arg;
    unsigned int i = 0;
    while (i < inlen) {
        unsigned int len = in[i];
        if (len == 0 || i + 1 + len > inlen) return SSL_TLSEXT_ERR_NOACK;  /* malformed list */
        if (len == 8 && memcmp(in + i + 1, "http/1.1", 8) == 0) {
            *out = in + i + 1;
            *outlen = (unsigned char)len;
            return SSL_TLSEXT_ERR_OK;
        }
        i += 1 + len;
    }
    return SSL_TLSEXT_ERR_NOACK;
}
static inline void cssl_ctx_select_alpn_http11(SSL_CTX *ctx) {
    SSL_CTX_set_alpn_select_cb(ctx, cssl_alpn_select_http11, NULL);
}

#endif
