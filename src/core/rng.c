/**
 * @file rng.c
 * @brief Philox4x32-10 streams as gsl_rng (Random123's gsl_microrng.h adapter).
 */

/* system headers */
#include <assert.h>
#include <string.h>

/* Random123 */
#include <Random123/philox.h>
#include <Random123/gsl_microrng.h>

/* local headers */
#include "jinsong/log.h"
#include "jinsong/rng.h"

/* Defines gsl_rng_js_philox and js_philox_reset(); this must happen in exactly one file. */
GSL_MICRORNG(js_philox, philox4x32);

static_assert(sizeof(js_philox_state) <= JS_RNG_STATE_BYTES, "JS_RNG_STATE_BYTES too small");
static_assert(_Alignof(js_philox_state) <= 16, "Philox state needs more alignment");

void js_rng_init(struct js_rng *r)
{
    memset(r, 0, sizeof(*r));
    r->gsl.type = gsl_rng_js_philox;
    r->gsl.state = r->state;
}

gsl_rng *js_rng_stream(struct js_rng *r, uint32_t seed, uint32_t run, uint32_t day, uint32_t kind,
                       uint32_t id, uint32_t purpose)
{
    JS_ASSERT(kind < 256u && purpose < (1u << 24));
    /* Re-point in case the struct was moved since js_rng_init. */
    r->gsl.type = gsl_rng_js_philox;
    r->gsl.state = r->state;
    philox4x32_ctr_t c = {{day, id, (kind << 24) | purpose, 0}};
    philox4x32_key_t k = {{seed, run}};
    js_philox_reset(&r->gsl, c, k);
    return &r->gsl;
}

void js_rng_block(uint32_t seed, uint32_t run, uint32_t day, uint32_t kind, uint32_t id,
                  uint32_t purpose, uint32_t n, uint32_t out[4])
{
    JS_ASSERT(kind < 256u && purpose < (1u << 24));
    philox4x32_ctr_t c = {{day, id, (kind << 24) | purpose, n}};
    philox4x32_key_t k = {{seed, run}};
    philox4x32_ctr_t r = philox4x32(c, k);
    memcpy(out, r.v, 4 * sizeof(uint32_t));
}
