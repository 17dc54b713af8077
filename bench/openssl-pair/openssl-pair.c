/*
 * OpenSSL's own engine over a BIO pair, both ends in one thread: the anchor `tlsengine bench`
 * prints beside the engine. Same setup as the engine's rows: TLS 1.3, X25519, AES-128-GCM,
 * the server's ECDSA certificate verified by the client against it as the trust anchor,
 * no session tickets. Prints "handshakes_per_s=N bulk_mb_per_s=N".
 *
 * usage: openssl-pair CERT.pem KEY.pem CA.pem SECONDS
 */
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHUNK 16384

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fail(const char *what)
{
    fprintf(stderr, "openssl-pair: %s\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static SSL_CTX *context(int server, const char *cert, const char *key, const char *ca)
{
    SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    if (!ctx || !SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION)
        || !SSL_CTX_set_ciphersuites(ctx, "TLS_AES_128_GCM_SHA256") || !SSL_CTX_set1_groups_list(ctx, "X25519"))
        fail("context");
    if (server)
    {
        if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 || SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
            fail("certificate");
        SSL_CTX_set_num_tickets(ctx, 0);
    }
    else
    {
        if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1)
            fail("trust anchor");
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    }

    return ctx;
}

/* Creates a connected pair over a BIO pair; returns 0 when the handshake fails. */
static int pair(SSL_CTX *client_ctx, SSL_CTX *server_ctx, SSL **client, SSL **server)
{
    BIO *a, *b;
    if (!BIO_new_bio_pair(&a, 0, &b, 0))
        fail("bio pair");
    *client = SSL_new(client_ctx);
    *server = SSL_new(server_ctx);
    SSL_set1_host(*client, "localhost");
    SSL_set_tlsext_host_name(*client, "localhost");
    SSL_set_bio(*client, a, a);
    SSL_set_bio(*server, b, b);
    SSL_set_connect_state(*client);
    SSL_set_accept_state(*server);
    for (int round = 0; round < 20; round++)
    {
        int c = SSL_do_handshake(*client);
        int s = SSL_do_handshake(*server);
        if (c == 1 && s == 1)
            return 1;
    }

    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 5)
    {
        fprintf(stderr, "usage: openssl-pair CERT KEY CA SECONDS\n");
        return 2;
    }

    double seconds = atof(argv[4]);
    SSL_CTX *server_ctx = context(1, argv[1], argv[2], argv[3]);
    SSL_CTX *client_ctx = context(0, argv[1], argv[2], argv[3]);
    SSL *client, *server;

    /* Warm-up, then handshakes for the time given. */
    long count = 0;
    for (double end = now() + seconds / 2; now() < end;)
    {
        if (!pair(client_ctx, server_ctx, &client, &server))
            fail("handshake");
        SSL_free(client);
        SSL_free(server);
    }

    double start = now();
    while (now() - start < seconds)
    {
        if (!pair(client_ctx, server_ctx, &client, &server))
            fail("handshake");
        SSL_free(client);
        SSL_free(server);
        count++;
    }

    double handshakes = count / (now() - start);

    /* Bulk: 16 KiB writes read back on the other end, on one pair: a warm-up, then for the time given. */
    static unsigned char data[CHUNK], sink[65536];
    if (!pair(client_ctx, server_ctx, &client, &server))
        fail("handshake");
    long received = 0, measured_from = 0;
    double warm_end = now() + seconds / 2;
    start = 0;
    for (double t = now(); start == 0 || t - start < seconds; t = now())
    {
        if (start == 0 && t >= warm_end)
        {
            start = t;
            measured_from = received;
        }

        if (SSL_write(client, data, CHUNK) != CHUNK)
            fail("write");
        int n;
        while ((n = SSL_read(server, sink, sizeof sink)) > 0)
            received += n;
    }

    double bulk = (received - measured_from) / 1048576.0 / (now() - start);
    SSL_free(client);
    SSL_free(server);

    printf("handshakes_per_s=%.0f bulk_mb_per_s=%.0f\n", handshakes, bulk);
    SSL_CTX_free(client_ctx);
    SSL_CTX_free(server_ctx);
    return 0;
}
