/**
 * @file rng.h
 * @brief Counter-based random streams keyed on identity (ARCHITECTURE rule 2).
 *
 * Every draw comes from Philox4x32-10 (Random123) exposed to GSL as a gsl_rng via
 * Random123's gsl_microrng.h, so all gsl_ran_* distributions work. A stream is named
 * by what it is for, never by a thread or a storage slot:
 *
 *     key     = { seed, run index }
 *     counter = { day, entity id, kind << 24 | purpose, 0 }
 *
 * The last counter word stays 0 because the GSL adapter counts its draws in it
 * (up to 4 * 2^32 draws per stream). Two different (day, id, kind, purpose)
 * therefore never share a block, and adding a purpose shifts no existing stream.
 * Never call gsl_rng_env_setup().
 */
#ifndef JS_RNG_H
#define JS_RNG_H

/* system headers */
#include <stdint.h>

/* GSL */
#include <gsl/gsl_rng.h>

/** @brief Entity kinds (8 bits of the third counter word). Add, never renumber. */
enum js_rng_kind {
    JS_RNG_WORLD = 0,   /**< the world as a whole */
    JS_RNG_PLACE = 1,   /**< a place */
    JS_RNG_ROUTE = 2,   /**< a route */
    JS_RNG_FACTION = 3, /**< a faction */
    JS_RNG_ARMY = 4,    /**< an army */
    JS_RNG_BATTLE = 5,  /**< a battle */
    JS_RNG_SIEGE = 6,   /**< a siege */
    JS_RNG_AGENT = 7,   /**< a refugee agent */
    JS_RNG_EVENT = 8,   /**< a scripted event */
    JS_RNG_CONVOY = 9,  /**< a convoy of grain, silver, silk or captives */
    JS_RNG_MEMBER = 10, /**< an ensemble member (designs) */
};

/** @brief Modules owning purposes (high 8 bits of the 24-bit purpose). Add, never renumber. */
enum js_rng_module {
    JS_RNGMOD_TEST = 0,
    JS_RNGMOD_EVENTS = 1,
    JS_RNGMOD_ECONOMY = 2,
    JS_RNGMOD_ARMY = 3,
    JS_RNGMOD_BATTLE = 4,
    JS_RNGMOD_SIEGE = 5,
    JS_RNGMOD_SUPPLY = 6,
    JS_RNGMOD_DEMOGRAPHY = 7,
    JS_RNGMOD_MIGRATION = 8,
    JS_RNGMOD_ENSEMBLE = 9,
};

/** @brief A purpose: module in the high 8 bits, the module's own number in the low 16. */
#define JS_PURPOSE(module, n) ((((uint32_t)(module)&0xffu) << 16) | ((uint32_t)(n)&0xffffu))

/** @brief Bytes reserved for the Philox adapter's state (checked in rng.c). */
#define JS_RNG_STATE_BYTES 64

/**
 * @brief A reusable generator. Lives on the stack or in a per-thread slot; do not copy
 * it (its gsl_rng points into itself). Call js_rng_init once, then js_rng_stream for
 * every stream.
 */
struct js_rng {
    gsl_rng gsl;                                          /**< the GSL view */
    _Alignas(16) unsigned char state[JS_RNG_STATE_BYTES]; /**< Philox adapter state */
};

/**
 * @brief Prepares a generator (no allocation).
 * @param r the generator
 */
void js_rng_init(struct js_rng *r);

/**
 * @brief Positions @p r at the start of the stream (seed, run | day, id, kind, purpose).
 * @param r generator from js_rng_init
 * @param seed the run's seed
 * @param run the run index
 * @param day simulated day (0 = start)
 * @param kind entity kind (enum js_rng_kind, < 256)
 * @param id entity id
 * @param purpose what the draws are for (JS_PURPOSE, < 2^24)
 * @return the gsl_rng to draw from (valid until the next js_rng_stream on @p r)
 */
gsl_rng *js_rng_stream(struct js_rng *r, uint32_t seed, uint32_t run, uint32_t day, uint32_t kind,
                       uint32_t id, uint32_t purpose);

/**
 * @brief The raw Philox block @p n of a stream, without GSL.
 *
 * Block n holds the stream's draws 4n..4n+3 in reverse order (the GSL adapter
 * returns out[3] first). For hot loops that need a few uniforms per entity.
 * @param seed the run's seed
 * @param run the run index
 * @param day simulated day
 * @param kind entity kind
 * @param id entity id
 * @param purpose purpose
 * @param n block number
 * @param out four 32-bit words
 */
void js_rng_block(uint32_t seed, uint32_t run, uint32_t day, uint32_t kind, uint32_t id,
                  uint32_t purpose, uint32_t n, uint32_t out[4]);

/**
 * @brief A 32-bit word as a uniform double in [0, 1).
 * @param u the word
 */
static inline double js_rng_u01(uint32_t u)
{
    return (double)u * (1.0 / 4294967296.0);
}

#endif /* JS_RNG_H */
