/**
 * @file world_siege.h
 * @brief The sieges table of the world (structure of arrays) and the convoys of captives.
 *
 * A siege slot exists for every walled place (walls.strength > 0), so a siege can always start
 * where one can happen; a place besieged again later reuses its slot (`episode` counts the
 * sieges of the place). A slot holds the siege's state while it is active: the besieger, the
 * food shut inside the walls (private grain and the state granary, sheng), the civilians'
 * nutrition reserve, parapets, engineering progress and breach, the epidemic compartments of the
 * defenders, the civilians and the besiegers, the city's resolve and the state of negotiations.
 * The private wealth of the walled city (silver, gold, silk: the stock a ransom levy or a sack
 * takes) is held per slot for the whole run.
 *
 * Persons inside the walls stay in `places.pop` (they are the place's people): `inside[place]`
 * says how many of them are shut in today, so that other modules (the economy's consumption,
 * flight and famine) can tell them from the people of the countryside. The garrison is the
 * armies of the place's holder standing at the place: their men stay in the armies table.
 *
 * Captives taken in a sack march in a convoy (one slot per siege slot: a second sack of a place
 * while its first convoy is on the road joins it) to the besieger's capital, dying on the way.
 */
#ifndef JS_WORLD_SIEGE_H
#define JS_WORLD_SIEGE_H

/* system headers */
#include <stdbool.h>
#include <stdint.h>

/* local headers */
#include "jinsong/ledger.h"

/** @brief How a siege ended (the output keeps these values). Add, never renumber. */
enum js_siege_outcome {
    JS_SIEGE_ONGOING = 0, /**< not ended (or never besieged) */
    JS_SIEGE_STORMED,     /**< taken by assault and sacked */
    JS_SIEGE_SURRENDERED, /**< the city surrendered */
    JS_SIEGE_RANSOMED,    /**< a ransom was paid and the besieger withdrew */
    JS_SIEGE_RELIEVED,    /**< a battle at the place beat the besiegers */
    JS_SIEGE_LIFTED,      /**< the besieger left (gave up, starving, sick, beaten, marched on) */
    JS_SIEGE_CEDED,       /**< the place changed hands otherwise (a scripted cession) */
    JS_NSIEGE_OUTCOMES
};

/** @brief Epidemic groups of a siege. */
enum js_siege_group {
    JS_SG_DEFENDERS = 0, /**< the garrison's men */
    JS_SG_CIVILIANS,     /**< the civilians inside the walls */
    JS_SG_BESIEGERS,     /**< the besiegers' camp */
    JS_NSIEGE_GROUPS
};

/** @brief Currencies of a city's private wealth. */
enum js_siege_wealth {
    JS_SW_SILVER = 0, /**< taels of silver */
    JS_SW_GOLD,       /**< taels of gold */
    JS_SW_SILK,       /**< bolts of silk */
    JS_NSIEGE_WEALTH
};

/** @brief The sieges: one slot per walled place. */
struct js_sieges {
    int32_t n;          /**< slots (walled places) */
    int32_t n_places;   /**< places (size of the per-place arrays) */
    int32_t n_armies;   /**< army slots (size of the per-army scratch) */
    int32_t n_factions; /**< factions (size of the per-faction arrays) */
    /* static: the walled places and their defences (from the scenario) */
    int32_t *place;      /**< [n] the walled place of each slot */
    int32_t *slot;       /**< [n_places] slot of a walled place, -1 for none */
    int32_t *layers;     /**< [n] lines of walls and moats (Chen Gui's layered works: 1..4) */
    uint8_t *moat;       /**< [n] 1 with a moat */
    double *circuit_km;  /**< [n] length of the wall circuit, km */
    double *river_gates; /**< [n] share of the supply a land blockade cannot close (river) */
    double *loyalty;     /**< [n] loyalty of the prefect (when no garrison commander is there) */
    /* per faction (mutable: `court_policy` events change it) */
    double *court_accept; /**< [n_factions] its court pays a ransom for its capital when the
                               capital's chance of falling reaches this */
    /* per place (mutable) */
    int64_t *inside;     /**< [n_places] persons shut inside besieged walls today, 0 elsewhere */
    int32_t *sack_until; /**< [n_places] last day of the danger a sack spreads, -1 for none */
    /* per slot (mutable) */
    uint8_t *active;       /**< [n] 1 while besieged */
    int32_t *episode;      /**< [n] sieges of the place so far */
    int32_t *besieger;     /**< [n] besieging faction, -1 */
    int32_t *defender;     /**< [n] faction holding the place when the siege began, -1 */
    int32_t *start_day;    /**< [n] day the (last) siege began, -1 */
    int32_t *end_day;      /**< [n] day the last siege ended, -1 */
    uint8_t *outcome;      /**< [n] enum js_siege_outcome of the last siege */
    int64_t *food_private; /**< [n] private grain inside the walls, sheng */
    int64_t *food_state;   /**< [n] state grain inside the walls, sheng */
    int64_t *wealth;       /**< [n * JS_NSIEGE_WEALTH] private wealth of the city */
    double *reserve;       /**< [n] civilians' nutrition reserve, full-ration days per head */
    double *ration;        /**< [n] ration policy today: share of a full ration issued */
    double *fed;           /**< [n] share of a full ration the civilians ate today */
    double *wall;          /**< [n] parapets' integrity, 0..1 */
    double *progress;      /**< [n] engineering progress (saps, ramps), breach at 1 */
    uint8_t *breach;       /**< [n] 1 once the walls are breached */
    double *blockade;      /**< [n] blockade completeness today, 0..1 */
    double *inflow;        /**< [n] grain the open gates could bring in today, sheng */
    double *resolve;       /**< [n] the city's will to hold out, 0..1 */
    int64_t *infected;     /**< [n * JS_NSIEGE_GROUPS] infectious persons */
    int64_t *immune;       /**< [n * JS_NSIEGE_GROUPS] recovered persons */
    int64_t *besiegers0;   /**< [n] besiegers' fighting men when the siege began */
    int32_t *last_assault; /**< [n] day of the last assault, -1 */
    int32_t *assaults;     /**< [n] assaults made in this siege */
    int32_t *terms_day;    /**< [n] day terms were last demanded and refused, -1 */
    int64_t *deaths;       /**< [n] civilians dead inside the walls in this siege */
    /* per slot, recomputed every day (state for the output) */
    int64_t *garrison;  /**< [n] garrison's fighting men */
    int64_t *civilians; /**< [n] civilians inside */
    int64_t *attackers; /**< [n] besiegers' fighting men */
    /* captives on the road (one convoy slot per siege slot; mutable) */
    uint8_t *convoy_active;  /**< [n] 1 while captives are on the road */
    int32_t *convoy_dest;    /**< [n] place they are marched to */
    int32_t *convoy_arrive;  /**< [n] day of arrival */
    int64_t *convoy_persons; /**< [n] captives on the road */
    int64_t *convoy_died;    /**< [n] captives dead on the road (since the run began) */
    /* per-day scratch (not state) */
    int32_t *head;  /**< [n_places] first army at a place (list through next) */
    int32_t *next;  /**< [n_armies] next army at the same place, -1 */
    int32_t *group; /**< [n_armies] scratch: armies of one side */
};

struct js_world;
struct js_state_array;

/**
 * @brief Allocates the table: one slot per walled place (places.walls > 0), defences zeroed
 * (the reader fills them), every siege inactive. Call once places and armies exist.
 * @param w the world
 */
void js_world_siege_alloc(struct js_world *w);

/**
 * @brief Frees the table. Called by js_world_free.
 * @param w the world
 */
void js_world_siege_free(struct js_world *w);

/**
 * @brief Share of a place's people shut inside besieged walls today (0 elsewhere): the siege
 * module feeds them, and their hunger, sickness and deaths are its own; demography and flight
 * apply to the others only.
 * @param w the world
 * @param place the place
 */
double js_world_siege_inside_share(const struct js_world *w, int32_t place);

/**
 * @brief Adds the sieges' stocks to a census: the grain inside besieged walls (holder sieges),
 * the cities' private silver, gold and silk (holder places), the captives on the road (holder
 * convoys).
 * @param w the world
 * @param out the census
 */
void js_world_siege_census(const struct js_world *w, struct js_census *out);

/**
 * @brief Visits the sieges' mutable arrays (for checkpoints). Called by js_world_visit_state.
 * @param w the world
 * @param v the visitor (a js_state_visitor)
 * @param ctx its context
 */
void js_world_siege_visit_state(struct js_world *w,
                                void (*v)(void *ctx, const struct js_state_array *a), void *ctx);

/**
 * @brief True while a siege is under way at a place.
 * @param w the world
 * @param place place id
 */
bool js_world_place_besieged(const struct js_world *w, int32_t place);

/**
 * @brief True if an army is shut in a besieged city: it stands at the place, which its faction
 * holds, while a siege is under way there. The siege feeds it (supply leaves it alone).
 * @param w the world
 * @param army army id
 */
bool js_world_army_shut_in(const struct js_world *w, int32_t army);

/** @brief Name of a siege outcome ("stormed", ...). */
const char *js_siege_outcome_name(int outcome);

#endif /* JS_WORLD_SIEGE_H */
