/* plan_reference.c - prints docs/plan-reference.md, generated from the schema table. */
#include <stdio.h>

#include "schema.h"

int main(void)
{
	schema_write_reference(stdout);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
