/* schema.h - the plan schema as a table: validation, defaults, paths and docs in one. */
#ifndef PORCUPINE_SCHEMA_H
#define PORCUPINE_SCHEMA_H

#include <stddef.h>
#include <stdio.h>

#include "plan.h"
#include "yaml_doc.h"

enum schema_type {
	ST_INT = 0,  /* whole number: int (unsigned long long with SF_U64) */
	ST_NUMBER,   /* double */
	ST_MONEY,    /* double; a number or a money literal such as 150bn */
	ST_SHARE,    /* double between 0 and 1 */
	ST_BOOL,     /* int 0 or 1 */
	ST_STRING,   /* const char * */
	ST_ENUM,     /* int: index into `names` */
	ST_REF,	     /* int: index of an id of section `target`, -1 when absent */
	ST_REFLIST,  /* int * and size_t count at count_off: indices into `target` */
	ST_YEARS,    /* struct yseries: a number, or years -> numbers held forward */
	ST_SCHEDULE, /* struct yseries of money: years not given are 0 */
	ST_RECORD,   /* a nested record `sub` at `off` */
	ST_RECORDS,  /* a mapping id -> record `sub`: array pointer at off, count at count_off */
	ST_LIST,     /* a sequence of records `sub`: array pointer at off, count at count_off */
	ST_MAP,	     /* a mapping id (of `target`) -> value, entries laid out as `entry` */
	ST_NUMLIST,  /* a sequence of numbers: double * at off, count at count_off */
	ST_INCLUDE   /* file names; read by the loader, not stored */
};

/* Sections whose ids references name. */
enum schema_section {
	SEC_NONE = 0,
	SEC_CATEGORY,
	SEC_BUYER,
	SEC_SOURCE,
	SEC_ITEM,
	SEC_CAPABILITY,
	SEC_DEPLOYMENT,
	SEC_UPARAM,
	SEC__COUNT
};

#define SF_REQUIRED 0x001u /* the key must be given */
#define SF_MIN	    0x002u /* value >= min */
#define SF_MIN_EXCL 0x004u /* value > min */
#define SF_MAX	    0x008u /* value <= max */
#define SF_MAX_EXCL 0x010u /* value < max */
#define SF_FIXED    0x020u /* shapes the plan: no parameter path, no --set */
#define SF_U64	    0x040u /* ST_INT stored as unsigned long long */
#define SF_NAME	    0x080u /* ST_STRING that defaults to the record's id */
#define SF_VERSION  0x100u /* the schema version: when unsupported, nothing else is read */
#define SF_PAIRED   0x200u /* ST_NUMLIST sharing the count of the list before it: same length */
#define SF_SUFFIX   0x400u /* ST_NUMBER, ST_NUMLIST: money literals (150bn) are accepted too */

struct bind;
struct schema_field;
struct schema_record;

/* Stores a number whose place depends on other keys of the record (distribution
 * parameters).  `map` is the record's mapping, `key`/`value` the pair being read. */
typedef void (*schema_setter)(struct bind *b, void *rec, const struct schema_field *f, double v,
			      const struct ynode *map, const struct ynode *key);

/* Checks a record once all its keys are read; `map` is its mapping. */
typedef void (*schema_check)(struct bind *b, void *rec, const struct ynode *map);

/* Layout of one entry of an id -> value map (ST_MAP). */
struct schema_entry {
	size_t size;		/* bytes of one entry */
	size_t key_off;		/* int: index into the field's target section */
	size_t value_off;	/* double, or struct yseries when vtype is ST_YEARS */
	long loc_off;		/* struct plan_loc of the entry, or -1 */
	enum schema_type vtype; /* ST_NUMBER, ST_MONEY or ST_YEARS */
};

/* One key of a record. */
struct schema_field {
	const char *key;
	enum schema_type type;
	unsigned flags;
	double min, max;	    /* bounds, when flagged SF_MIN/SF_MAX (_EXCL) */
	double def;		    /* default of numbers, whole numbers, booleans, enums, series */
	const char *def_text;	    /* default of strings; for others how the reference shows it */
	const char *doc;	    /* one line for the reference */
	size_t off;		    /* offset of the value (or array pointer) in the record */
	size_t count_off;	    /* ST_REFLIST, ST_RECORDS, ST_LIST, ST_MAP, ST_NUMLIST */
	enum schema_section target; /* ST_REF, ST_REFLIST, keys of ST_MAP */
	const char *const *names;   /* ST_ENUM: names in enum order, NULL-terminated */
	const char *keyword;	    /* ST_REFLIST: a word accepted in place of the list */
	const struct schema_record *sub;  /* ST_RECORD, ST_RECORDS, ST_LIST */
	const struct schema_entry *entry; /* ST_MAP */
	schema_setter set;		  /* numbers stored by a function instead of at `off` */
};

/* A record type: its keys in reading order. */
struct schema_record {
	const char *name;	     /* in messages: "item" as in "in item 'iris_t_slm'" */
	const char *title;	     /* heading in the reference */
	const char *doc;	     /* paragraph for the reference */
	size_t size;		     /* bytes of one record (ST_RECORDS, ST_LIST) */
	long id_off;		     /* const char *id, or -1 */
	long loc_off;		     /* struct plan_loc of the record, or -1 */
	long present_off;	     /* int set to 1 when the record is given, or -1 */
	enum schema_section section; /* ids it defines (ST_RECORDS) */
	const struct schema_field *fields;
	size_t nfields;
	schema_check check;
};

/* The top level of a plan (fields relative to struct plan). */
extern const struct schema_record schema_plan;

/* The row of `key` in r, or NULL. */
const struct schema_field *schema_field_find(const struct schema_record *r, const char *key);

/* Set every field of a record (and nested records) to its default. */
void schema_defaults(const struct schema_record *r, void *base);

/* The record type of a section's entries, and the section's ids in a plan. */
const struct schema_record *schema_section_record(enum schema_section s);
size_t schema_section_count(const struct plan *p, enum schema_section s);
const char *schema_section_id(const struct plan *p, enum schema_section s, size_t i);

/* What a value of field f must be, for messages: "a whole number", "true or false" ... */
const char *schema_type_phrase(const struct schema_field *f);

/* The bounds of f as text ("> 0", "between 0 and 1"), or "" when unbounded. */
void schema_bounds_text(const struct schema_field *f, char *buf, size_t n);

/* 1 when v lies within f's bounds (numbers and series values). */
int schema_in_bounds(const struct schema_field *f, double v);

/* Write the plan reference (Markdown) generated from the table. */
void schema_write_reference(FILE *out);

#endif
