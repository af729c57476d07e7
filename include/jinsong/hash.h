/**
 * @file hash.h
 * @brief A fast 64-bit checksum of byte streams (restart files, ensemble members).
 *
 * Not cryptographic: it catches truncated, corrupted or replaced files. Data may be fed in
 * pieces of any size; the result depends only on the bytes, not on how they were split.
 */
#ifndef JS_HASH_H
#define JS_HASH_H

/* system headers */
#include <stddef.h>
#include <stdint.h>

/** @brief A running checksum. */
struct js_hash {
    uint64_t h;            /**< state */
    uint64_t total;        /**< bytes fed so far */
    unsigned char tail[8]; /**< bytes not yet forming a whole word */
    unsigned ntail;        /**< how many */
};

/**
 * @brief Starts a checksum.
 * @param s state
 */
void js_hash_init(struct js_hash *s);

/**
 * @brief Feeds bytes.
 * @param s state
 * @param data bytes
 * @param n how many
 */
void js_hash_update(struct js_hash *s, const void *data, size_t n);

/**
 * @brief The checksum of everything fed (the state is left unusable).
 * @param s state
 */
uint64_t js_hash_final(struct js_hash *s);

/**
 * @brief Checksum of one buffer.
 * @param data bytes
 * @param n how many
 */
uint64_t js_hash_bytes(const void *data, size_t n);

/**
 * @brief Checksum of a whole file.
 * @param path the file
 * @param out the checksum
 * @return 0, or -1 (errno set) if it cannot be read
 */
int js_hash_file(const char *path, uint64_t *out);

#endif /* JS_HASH_H */
