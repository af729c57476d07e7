/**
 * @file hash.c
 * @brief 64-bit word-at-a-time checksum: multiply-xorshift per word, murmur3's finaliser.
 */

/* system headers */
#include <stdio.h>
#include <string.h>

/* local headers */
#include "jinsong/hash.h"

/** @brief Odd multipliers (from splitmix64 and murmur3). */
#define HASH_K1 0x9e3779b97f4a7c15ULL
#define HASH_K2 0xff51afd7ed558ccdULL
#define HASH_K3 0xc4ceb9fe1a85ec53ULL

/**
 * @brief Mixes one 64-bit word into the state.
 * @param h state
 * @param word the word (little-endian load of 8 bytes)
 */
static inline uint64_t hash_word(uint64_t h, uint64_t word)
{
    h ^= word * HASH_K1;
    h = (h << 31) | (h >> 33);
    return h * HASH_K2 + HASH_K3;
}

/**
 * @brief Loads 8 bytes as a little-endian word (the same value on every host).
 * @param p the bytes
 */
static inline uint64_t hash_load(const unsigned char *p)
{
    uint64_t w = 0;
    for (int i = 7; i >= 0; i--)
        w = (w << 8) | p[i];
    return w;
}

void js_hash_init(struct js_hash *s)
{
    memset(s, 0, sizeof(*s));
    s->h = 0x6a09e667f3bcc908ULL;
}

void js_hash_update(struct js_hash *s, const void *data, size_t n)
{
    const unsigned char *p = data;
    s->total += n;
    while (s->ntail && n) {
        s->tail[s->ntail++] = *p++;
        n--;
        if (s->ntail == 8) {
            s->h = hash_word(s->h, hash_load(s->tail));
            s->ntail = 0;
        }
    }
    if (n == 0)
        return; /* the bytes went to the tail */
    uint64_t h = s->h;
    for (; n >= 8; n -= 8, p += 8)
        h = hash_word(h, hash_load(p));
    s->h = h;
    memcpy(s->tail, p, n);
    s->ntail = (unsigned)n;
}

uint64_t js_hash_final(struct js_hash *s)
{
    unsigned char last[8] = {0};
    memcpy(last, s->tail, s->ntail);
    uint64_t h = hash_word(s->h, hash_load(last));
    h = hash_word(h, s->total);
    h ^= h >> 33;
    h *= HASH_K2;
    h ^= h >> 33;
    h *= HASH_K3;
    h ^= h >> 33;
    return h;
}

uint64_t js_hash_bytes(const void *data, size_t n)
{
    struct js_hash s;
    js_hash_init(&s);
    js_hash_update(&s, data, n);
    return js_hash_final(&s);
}

int js_hash_file(const char *path, uint64_t *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    struct js_hash s;
    js_hash_init(&s);
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        js_hash_update(&s, buf, n);
    int rc = ferror(f) ? -1 : 0;
    fclose(f);
    *out = js_hash_final(&s);
    return rc;
}
