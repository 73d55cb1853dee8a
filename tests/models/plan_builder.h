/* plan_builder.h - small struct plans built in C for the model tests, without the YAML loader.
 *
 * Every section array is calloc'ed/realloc'ed by the builder and freed by pb_free; ids and
 * names are borrowed (pass string literals).  Defaults are the "off" values of plan.h: no
 * rules, no caps (capacity -1, total -1), european_content 1, cost_factor 1, buyers that can
 * borrow unless they are partners.  Indices returned stay valid; pointers into the arrays do
 * not survive the next pb_* call that adds to the same section.  Allocation failure aborts
 * (this is a test helper). */
#ifndef PORCUPINE_TESTS_PLAN_BUILDER_H
#define PORCUPINE_TESTS_PLAN_BUILDER_H

#include "plan.h"

/* A plan for horizon start..end at the given discount rate, objective "cost". */
struct plan *pb_new(int start, int end, double discount_rate);
void pb_free(struct plan *p);

/* Every horizon year of y set to v. */
void pb_series(struct yseries *y, double v);

int pb_category(struct plan *p, const char *id);
int pb_buyer(struct plan *p, const char *id, enum buyer_kind kind);
/* A source with no money yet (set p->sources[s].available), every buyer, every category. */
int pb_source(struct plan *p, const char *id, enum source_kind kind, double cost_factor);
/* Restrict source s to the buyers / categories added this way. */
void pb_source_buyer(struct plan *p, int s, int b);
void pb_source_category(struct plan *p, int s, int c);
void pb_allocation(struct plan *p, int s, int b, double amount);
/* An item of category cat at unit_cost, continuous, delivered in the year ordered. */
int pb_item(struct plan *p, const char *id, int cat, double unit_cost);
void pb_provides(struct plan *p, int item, int capability, double amount);
/* A capability with the same target every year. */
int pb_capability(struct plan *p, const char *id, double target, double penalty);
void pb_capability_buyer(struct plan *p, int c, int b);
/* A deployment with the same troop target every year; nothing moved by air. */
int pb_deployment(struct plan *p, const char *id, double troops, double rotation_ratio,
		  double cost_per_troop_year, int paid_by, double shortfall_penalty);
void pb_contributor(struct plan *p, int d, int b, double troops_max);
void pb_us(struct plan *p, int capability, double amount);
/* Enable the Ukraine block; kit entries with pb_kit. */
void pb_ukraine(struct plan *p, int buyer, int capability, double brigades_existing);
void pb_kit(struct plan *p, int item, double per_brigade);

#endif
