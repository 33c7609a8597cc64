// SPDX-License-Identifier: GPL-2.0-or-later
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/sha256.h"

/* @hex: 64 lowercase hex digits, as the standards and sha256sum print them. */
static void assert_digest(const uint8_t digest[SHA256_DIGEST_SIZE], const char *hex)
{
	char got[2 * SHA256_DIGEST_SIZE + 1];
	unsigned int i;

	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(got + 2 * i, 3, "%02x", digest[i]);
	assert_string_equal(got, hex);
}

/* FIPS 180-2, appendix B: one block, two blocks; and the empty message. */
static void fips_short_messages(void **state)
{
	static const char two_blocks[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	uint8_t d[SHA256_DIGEST_SIZE];

	(void)state;
	sha256("", 0, d);
	assert_digest(d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256("abc", 3, d);
	assert_digest(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(strlen(two_blocks), 56);	/* 448 bits */
	sha256(two_blocks, 56, d);
	assert_digest(d, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* FIPS 180-2, B.3: one million 'a', whole and in uneven pieces. */
static void fips_million_a(void **state)
{
	static const char want[] =
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	size_t done, n;
	char *buf = malloc(1000000);

	(void)state;
	assert_non_null(buf);
	memset(buf, 'a', 1000000);
	sha256(buf, 1000000, d);
	assert_digest(d, want);

	sha256_init(&ctx);
	for (done = 0, n = 1; done < 1000000; done += n, n = n * 3 + 1)
		sha256_update(&ctx, buf + done, n < 1000000 - done ? n : 1000000 - done);
	sha256_final(&ctx, d);
	assert_digest(d, want);
	free(buf);
}

/*
 * A 200-byte message (byte i = 7i + 3) fed in two pieces split at every
 * offset up to 130, and in three pieces, gives the digest of one update.
 * The digest is Python's hashlib.sha256 of the same bytes.
 */
static void split_updates(void **state)
{
	static const char want[] =
		"2c7e18c942ef065b526a2d4e5546283749cd3ddfb51d8fc71f42717363685f46";
	struct sha256_ctx ctx;
	uint8_t msg[200], d[SHA256_DIGEST_SIZE];
	unsigned int i, split;

	(void)state;
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	sha256(msg, sizeof(msg), d);
	assert_digest(d, want);
	for (split = 0; split <= 130; split++) {
		sha256_init(&ctx);
		sha256_update(&ctx, msg, split);
		sha256_update(&ctx, msg + split, sizeof(msg) - split);
		sha256_final(&ctx, d);
		assert_digest(d, want);

		/* An empty update in between, then the rest in two. */
		sha256_init(&ctx);
		sha256_update(&ctx, msg, split);
		sha256_update(&ctx, msg + split, 0);
		sha256_update(&ctx, msg + split, 35);
		sha256_update(&ctx, msg + split + 35, sizeof(msg) - split - 35);
		sha256_final(&ctx, d);
		assert_digest(d, want);
	}
}

/*
 * sha256_update_zeros(n) is n zero bytes: alone (digests from coreutils'
 * sha256sum of head -c n /dev/zero), and after a partial block.
 */
static void update_zeros(void **state)
{
	static const struct {
		uint64_t n;
		const char *hex;
	} alone[] = {
		{ 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ 1, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d" },
		{ 55, "02779466cdec163811d078815c633f21901413081449002f24aa3e80f0b88ef7" },
		{ 56, "d4817aa5497628e7c77e6b606107042bbba3130888c5f47a375e6179be789fbb" },
		{ 63, "c7723fa1e0127975e49e62e753db53924c1bd84b8ac1ac08df78d09270f3d971" },
		{ 64, "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b" },
		{ 65, "98ce42deef51d40269d542f5314bef2c7468d401ad5d85168bfab4c0108f75f7" },
		{ 4096 + 7, "c270b1902f5bfcdb74693d21cce084ec44b1e56fd5454984da1b00c03c05b399" },
	};
	static const unsigned int prefixes[] = { 0, 1, 3, 55, 56, 63, 64, 65, 100 };
	static const uint8_t zeros[4096 + 7];
	uint8_t msg[100], d_zeros[SHA256_DIGEST_SIZE], d_bytes[SHA256_DIGEST_SIZE];
	struct sha256_ctx ctx;
	unsigned int i, j;

	(void)state;
	for (i = 0; i < sizeof(alone) / sizeof(alone[0]); i++) {
		sha256_init(&ctx);
		sha256_update_zeros(&ctx, alone[i].n);
		sha256_final(&ctx, d_zeros);
		assert_digest(d_zeros, alone[i].hex);
	}
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(0xa5 ^ i);
	/* A buffer then zeros: how a segment's memsz is digested. */
	for (j = 0; j < sizeof(prefixes) / sizeof(prefixes[0]); j++) {
		for (i = 0; i < sizeof(alone) / sizeof(alone[0]); i++) {
			sha256_init(&ctx);
			sha256_update(&ctx, msg, prefixes[j]);
			sha256_update_zeros(&ctx, alone[i].n);
			sha256_final(&ctx, d_zeros);

			sha256_init(&ctx);
			sha256_update(&ctx, msg, prefixes[j]);
			sha256_update(&ctx, zeros, alone[i].n);
			sha256_final(&ctx, d_bytes);
			assert_memory_equal(d_zeros, d_bytes, SHA256_DIGEST_SIZE);
		}
	}
}

/* A different byte anywhere gives a different digest (the purgatory's check). */
static void detects_one_byte(void **state)
{
	uint8_t msg[300], d0[SHA256_DIGEST_SIZE], d1[SHA256_DIGEST_SIZE];
	unsigned int i;

	(void)state;
	memset(msg, 0, sizeof(msg));
	sha256(msg, sizeof(msg), d0);
	for (i = 0; i < sizeof(msg); i += 37) {
		msg[i] ^= 1;
		sha256(msg, sizeof(msg), d1);
		assert_memory_not_equal(d0, d1, SHA256_DIGEST_SIZE);
		msg[i] ^= 1;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fips_short_messages),
		cmocka_unit_test(fips_million_a),
		cmocka_unit_test(split_updates),
		cmocka_unit_test(update_zeros),
		cmocka_unit_test(detects_one_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
