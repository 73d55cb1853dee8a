/* plan_builder.c - small struct plans built in C for the model tests (see plan_builder.h). */
#include "plan_builder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grow *v to n elements of size sz, zeroing the new one(s); abort on failure. */
static void *grow(void *v, size_t n, size_t sz)
{
	void *nv = realloc(v, n * sz);

	if (!nv) {
		fprintf(stderr, "plan_builder: out of memory\n");
		abort();
	}
	memset((char *)nv + (n - 1) * sz, 0, sz);
	return nv;
}

/* Append x to the int array *v of *n elements. */
static void push_int(int **v, size_t *n, int x)
{
	*v = grow(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = x;
}

struct plan *pb_new(int start, int end, double discount_rate)
{
	struct plan *p = calloc(1, sizeof(*p));

	if (!p)
		abort();
	p->file = "<test plan>";
	p->schema = PLAN_SCHEMA_VERSION;
	p->name = "test";
	p->currency = "EUR";
	p->start_year = start;
	p->end_year = end;
	p->nyears = end - start + 1;
	p->discount_rate = discount_rate;
	p->objective = OBJECTIVE_COST;
	p->solver.mip_gap = 1e-6;
	p->air_defence.fire_unit_capability = -1;
	p->air_defence.interceptor_capability = -1;
	p->ukraine.buyer = -1;
	p->ukraine.capability = -1;
	return p;
}

void pb_free(struct plan *p)
{
	size_t k;

	if (!p)
		return;
	for (k = 0; k < p->nsources; k++) {
		free(p->sources[k].buyers);
		free(p->sources[k].categories);
		free(p->sources[k].allocations);
	}
	for (k = 0; k < p->nitems; k++)
		free(p->items[k].provides);
	for (k = 0; k < p->ncapabilities; k++)
		free(p->capabilities[k].buyers);
	for (k = 0; k < p->ndeployments; k++)
		free(p->deployments[k].contributors);
	free(p->categories);
	free(p->buyers);
	free(p->sources);
	free(p->items);
	free(p->capabilities);
	free(p->deployments);
	free(p->ukraine.kit);
	free(p->assumptions.us);
	free(p);
}

void pb_series(struct yseries *y, double v)
{
	int t;

	for (t = 0; t < PLAN_MAX_YEARS; t++)
		y->v[t] = v;
}

int pb_category(struct plan *p, const char *id)
{
	p->categories = grow(p->categories, p->ncategories + 1, sizeof(*p->categories));
	p->categories[p->ncategories].id = id;
	p->categories[p->ncategories].name = id;
	return (int)p->ncategories++;
}

int pb_buyer(struct plan *p, const char *id, enum buyer_kind kind)
{
	struct buyer *b;

	p->buyers = grow(p->buyers, p->nbuyers + 1, sizeof(*p->buyers));
	b = &p->buyers[p->nbuyers];
	b->id = b->name = id;
	b->kind = kind;
	b->can_borrow = kind != BUYER_PARTNER;
	return (int)p->nbuyers++;
}

int pb_source(struct plan *p, const char *id, enum source_kind kind, double cost_factor)
{
	struct funding_source *s;

	p->sources = grow(p->sources, p->nsources + 1, sizeof(*p->sources));
	s = &p->sources[p->nsources];
	s->id = s->name = id;
	s->kind = kind;
	s->total = -1.0;
	s->cost_factor = cost_factor;
	s->rules.lead_share_max = 1.0;
	s->rules.prefinancing_max = 1.0;
	return (int)p->nsources++;
}

void pb_source_buyer(struct plan *p, int s, int b)
{
	push_int(&p->sources[s].buyers, &p->sources[s].nbuyers, b);
}

void pb_source_category(struct plan *p, int s, int c)
{
	push_int(&p->sources[s].categories, &p->sources[s].ncategories, c);
}

void pb_allocation(struct plan *p, int s, int b, double amount)
{
	struct funding_source *src = &p->sources[s];

	src->allocations = grow(src->allocations, src->nallocations + 1, sizeof(*src->allocations));
	src->allocations[src->nallocations].buyer = b;
	src->allocations[src->nallocations].amount = amount;
	src->nallocations++;
}

int pb_item(struct plan *p, const char *id, int cat, double unit_cost)
{
	struct item *it;

	p->items = grow(p->items, p->nitems + 1, sizeof(*p->items));
	it = &p->items[p->nitems];
	it->id = it->name = id;
	it->category = cat;
	it->unit_cost = unit_cost;
	it->european_content = 1.0;
	pb_series(&it->capacity, -1.0);
	return (int)p->nitems++;
}

void pb_provides(struct plan *p, int item, int capability, double amount)
{
	struct item *it = &p->items[item];

	it->provides = grow(it->provides, it->nprovides + 1, sizeof(*it->provides));
	it->provides[it->nprovides].capability = capability;
	it->provides[it->nprovides].amount = amount;
	it->nprovides++;
}

int pb_capability(struct plan *p, const char *id, double target, double penalty)
{
	struct capability *c;

	p->capabilities = grow(p->capabilities, p->ncapabilities + 1, sizeof(*p->capabilities));
	c = &p->capabilities[p->ncapabilities];
	c->id = c->name = id;
	c->unit = "units";
	pb_series(&c->target, target);
	c->penalty = penalty;
	c->priority = 1;
	return (int)p->ncapabilities++;
}

void pb_capability_buyer(struct plan *p, int c, int b)
{
	push_int(&p->capabilities[c].buyers, &p->capabilities[c].nbuyers, b);
}

int pb_deployment(struct plan *p, const char *id, double troops, double rotation_ratio,
		  double cost_per_troop_year, int paid_by, double shortfall_penalty)
{
	struct deployment *d;

	p->deployments = grow(p->deployments, p->ndeployments + 1, sizeof(*p->deployments));
	d = &p->deployments[p->ndeployments];
	d->id = d->name = id;
	pb_series(&d->troops, troops);
	d->rotation_ratio = rotation_ratio;
	d->tour_months = 6.0;
	d->cost_per_troop_year = cost_per_troop_year;
	d->paid_by = paid_by;
	d->shortfall_penalty = shortfall_penalty;
	d->lift_capability = -1;
	return (int)p->ndeployments++;
}

void pb_contributor(struct plan *p, int d, int b, double troops_max)
{
	struct deployment *dep = &p->deployments[d];

	dep->contributors =
	    grow(dep->contributors, dep->ncontributors + 1, sizeof(*dep->contributors));
	dep->contributors[dep->ncontributors].buyer = b;
	dep->contributors[dep->ncontributors].troops_max = troops_max;
	dep->ncontributors++;
}

void pb_us(struct plan *p, int capability, double amount)
{
	struct assumptions *a = &p->assumptions;

	a->us = grow(a->us, a->nus + 1, sizeof(*a->us));
	a->us[a->nus].capability = capability;
	pb_series(&a->us[a->nus].amount, amount);
	a->nus++;
}

void pb_ukraine(struct plan *p, int buyer, int capability, double brigades_existing)
{
	p->ukraine.enabled = 1;
	p->ukraine.buyer = buyer;
	p->ukraine.capability = capability;
	pb_series(&p->ukraine.brigades_existing, brigades_existing);
}

void pb_kit(struct plan *p, int item, double per_brigade)
{
	struct ukraine *ua = &p->ukraine;

	ua->kit = grow(ua->kit, ua->nkit + 1, sizeof(*ua->kit));
	ua->kit[ua->nkit].item = item;
	ua->kit[ua->nkit].per_brigade = per_brigade;
	ua->nkit++;
}
