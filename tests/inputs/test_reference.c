/* test_reference.c - docs/plan-reference.md is exactly what the schema table generates. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "support.h"

#define REFERENCE PORCUPINE_SOURCE_DIR "/docs/plan-reference.md"

Test(reference, docs_match_the_schema_table)
{
	char *gen = NULL, *doc;
	size_t len = 0, i, line = 1;
	FILE *f = open_memstream(&gen, &len);

	cr_assert_not_null(f);
	schema_write_reference(f);
	cr_assert_eq(fclose(f), 0);
	doc = slurp(REFERENCE, NULL);
	cr_assert_not_null(doc, "cannot read %s", REFERENCE);
	for (i = 0; doc[i] && doc[i] == gen[i]; i++)
		if (doc[i] == '\n')
			line++;
	cr_assert(doc[i] == '\0' && gen[i] == '\0',
		  "docs/plan-reference.md differs from the schema table at line %zu; regenerate "
		  "it with: build/inputs/plan_reference > docs/plan-reference.md",
		  line);
	free(doc);
	free(gen);
}

/* Every key of every record has a description, and enum defaults are valid names. */
static void check_record(const struct schema_record *r)
{
	size_t i, n;

	cr_assert_not_null(r->doc);
	for (i = 0; i < r->nfields; i++) {
		const struct schema_field *f = &r->fields[i];

		cr_assert(f->doc && *f->doc, "%s.%s has no description", r->name, f->key);
		cr_assert_eq(schema_field_find(r, f->key), f, "%s.%s is listed twice", r->name,
			     f->key);
		if (f->type == ST_ENUM) {
			for (n = 0; f->names[n]; n++)
				;
			cr_assert_lt((size_t)f->def, n, "%s.%s: default out of range", r->name,
				     f->key);
		}
		if (f->type == ST_RECORD || f->type == ST_RECORDS || f->type == ST_LIST)
			check_record(f->sub);
	}
}

Test(reference, table_is_complete)
{
	check_record(&schema_plan);
}
