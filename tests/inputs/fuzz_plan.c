/* fuzz_plan.c - libFuzzer target for the plan loader: never a crash, leak or UB. */
/* Any bytes must give a plan or diagnostics.  Built with clang only:
 *   cmake -DCMAKE_C_COMPILER=clang -DPORCUPINE_FUZZ=ON ... && ./fuzz_plan corpus/ */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "params.h"
#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_list dl = DIAG_LIST_INIT;
	struct plan *p = NULL, *c = NULL;
	FILE *sink = fopen("/dev/null", "w");

	if (plan_load_mem(&p, "fuzz.yaml", NULL, (const char *)data, size, &dl) == PLAN_OK) {
		if (plan_clone(&c, p) == PLAN_OK)
			plan_set(c, "items.*.unit_cost=2m", &dl);
		plan_free(c);
	}
	if (sink) {
		diag_print(&dl, sink, 1);
		fclose(sink);
	}
	plan_free(p);
	diag_list_release(&dl);
	return 0;
}
