/* test_html_sample.c - a hand-made report.json for the view and compare tests, temporary
 * folders, a small ZIP reader for the .xlsx, and an HTML nesting check. */
#include <ctype.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zlib.h>

#include "test_html_sample.h"

static const char sample_text[] =
    "{\"schema\": \"porcupine.report/1\","
    " \"tool\": {\"name\": \"porcupine\", \"version\": \"9.9.9\", \"glpk\": \"GLPK 5.0\"},"
    " \"plan\": {\"name\": \"test <plan> & co\","
    "  \"sha256\": \"aaaabbbbccccddddeeeeffff00001111222233334444555566667777888899990\","
    "  \"source\": \"t.yaml\", \"data_date\": \"2026-01-31\", \"description\": \"A small plan.\","
    "  \"horizon\": {\"start\": 2026, \"end\": 2028},"
    "  \"names\": {\"categories\": {\"air\": \"Air defence\", \"ammo\": \"Ammunition\"},"
    "   \"buyers\": {\"pl\": \"Poland\", \"ua\": \"Ukraine\"},"
    "   \"funding\": {\"safe\": \"SAFE loans\", \"nat\": \"National budgets\"},"
    "   \"items\": {\"iris\": \"IRIS-T SLM\", \"shell\": \"155 mm shell\"},"
    "   \"capabilities\": {\"gbad\": \"Air defence fire units\", \"rounds\": \"Rounds\"},"
    "   \"forces\": {}},"
    "  \"sources\": [{\"path\": \"items.iris\", \"name\": \"IRIS-T SLM\","
    "                \"source\": \"Diehl price list, https://example.org/iris.\"}],"
    "  \"parameters\": {\"assumptions.us_backing\": 0.5, \"items.iris.unit_cost\": 150000000,"
    "   \"capabilities.gbad.target\": [2, 4, 6], \"capabilities.gbad.priority\": 1,"
    "   \"capabilities.rounds.priority\": 2}},"
    " \"run\": {\"command\": \"solve\", \"seed\": 7, \"threads\": 1, \"scenarios\": 0,"
    "  \"set\": [], \"elapsed_s\": 0.5},"
    " \"solution\": {\"status\": \"optimal\", \"objective\": 1500000000.0,"
    "  \"total_spend_eur\": 1200000000.0, \"purchase_eur\": 1200000000.0,"
    "  \"personnel_eur\": 0.0, \"recheck\": {\"max_violation\": 0.0, \"ok\": true},"
    "  \"funding\": ["
    "   {\"source\": \"safe\", \"year\": 2026, \"available_eur\": 1000000000.0,"
    "    \"used_eur\": 300000000.0, \"carry_in_eur\": 0.0, \"carry_out_eur\": 700000000.0,"
    "    \"marginal_value\": 0.0},"
    "   {\"source\": \"safe\", \"year\": 2027, \"available_eur\": 0.0,"
    "    \"used_eur\": 300000000.0, \"carry_in_eur\": 700000000.0, \"carry_out_eur\": 0.0,"
    "    \"marginal_value\": 0.0},"
    "   {\"source\": \"nat\", \"year\": 2026, \"available_eur\": 600000000.0,"
    "    \"used_eur\": 600000000.0, \"carry_in_eur\": 0.0, \"carry_out_eur\": 0.0,"
    "    \"marginal_value\": 0.25}],"
    "  \"allocation\": ["
    "   {\"item\": \"iris\", \"category\": \"air\", \"buyer\": \"pl\", \"source\": \"safe\","
    "    \"year\": 2026, \"delivery_year\": 2027, \"units\": 2.0, \"eur\": 300000000.0},"
    "   {\"item\": \"iris\", \"category\": \"air\", \"buyer\": \"pl\", \"source\": \"safe\","
    "    \"year\": 2027, \"delivery_year\": 2028, \"units\": 2.0, \"eur\": 300000000.0},"
    "   {\"item\": \"shell\", \"category\": \"ammo\", \"buyer\": \"ua\", \"source\": \"nat\","
    "    \"year\": 2026, \"delivery_year\": 2026, \"units\": 100000.0, \"eur\": 600000000.0}],"
    "  \"requirements\": ["
    "   {\"capability\": \"gbad\", \"unit\": \"fire units\", \"year\": 2026, \"target\": 2.0,"
    "    \"achieved\": 0.0, \"shortfall\": 2.0, \"shadow_price\": 300000000.0},"
    "   {\"capability\": \"gbad\", \"unit\": \"fire units\", \"year\": 2027, \"target\": 4.0,"
    "    \"achieved\": 2.0, \"shortfall\": 2.0, \"shadow_price\": 250000000.0},"
    "   {\"capability\": \"gbad\", \"unit\": \"fire units\", \"year\": 2028, \"target\": 6.0,"
    "    \"achieved\": 4.0, \"shortfall\": 2.0, \"shadow_price\": 200000000.0},"
    "   {\"capability\": \"rounds\", \"unit\": \"rounds\", \"year\": 2026, \"target\": 100000.0,"
    "    \"achieved\": 100000.0, \"shortfall\": 0.0, \"shadow_price\": 0.0},"
    "   {\"capability\": \"rounds\", \"unit\": \"rounds\", \"year\": 2027, \"target\": 100000.0,"
    "    \"achieved\": 100000.0, \"shortfall\": 0.0, \"shadow_price\": 0.0},"
    "   {\"capability\": \"rounds\", \"unit\": \"rounds\", \"year\": 2028, \"target\": 100000.0,"
    "    \"achieved\": 100000.0, \"shortfall\": 0.0, \"shadow_price\": 0.0}],"
    "  \"forces\": [], \"ukraine\": {\"enabled\": false}},"
    " \"warnings\": []}";

json_t *sample_report(void)
{
	json_error_t e;
	json_t *d = json_loads(sample_text, 0, &e);
	if (!d)
		fprintf(stderr, "sample report: %s at %d:%d\n", e.text, e.line, e.column);
	return d;
}

void sample_add_scenarios(json_t *doc)
{
	json_error_t e;
	json_t *s = json_loads(
	    "{\"n\": 50, \"solved\": 49, \"failed\": 1, \"seed\": 7,"
	    " \"objective\": {\"mean\": 1.6e9, \"stderr\": 1e7, \"p5\": 1.4e9, \"p50\": 1.6e9,"
	    "  \"p95\": 1.9e9},"
	    " \"capabilities\": ["
	    "  {\"capability\": \"gbad\", \"p_target_met\": 0.2,"
	    "   \"shortfall\": {\"mean\": 5, \"p50\": 6, \"p95\": 9},"
	    "   \"years\": [{\"year\": 2026, \"target\": 2, \"achieved\": {\"p5\": 0, \"p50\": 0, "
	    "\"p95\": 1}},"
	    "    {\"year\": 2027, \"target\": 4, \"achieved\": {\"p5\": 1, \"p50\": 2, \"p95\": "
	    "3}},"
	    "    {\"year\": 2028, \"target\": 6, \"achieved\": {\"p5\": 3, \"p50\": 4, \"p95\": "
	    "6}}]},"
	    "  {\"capability\": \"rounds\", \"p_target_met\": 0.9,"
	    "   \"shortfall\": {\"mean\": 100, \"p50\": 0, \"p95\": 500}}],"
	    " \"categories\": ["
	    "  {\"category\": \"air\", \"spend_eur\": {\"mean\": 6e8, \"p5\": 5e8, \"p50\": 6e8, "
	    "\"p95\": 7e8}},"
	    "  {\"category\": \"ammo\", \"spend_eur\": {\"mean\": 6e8, \"p5\": 4e8, \"p50\": 6e8, "
	    "\"p95\": 8e8}}]}",
	    0, &e);
	json_object_set_new(doc, "scenarios", s);
}

void sample_add_tornado(json_t *doc)
{
	json_t *t = json_loads(
	    "{\"base_objective\": 1.5e9, \"bars\": ["
	    " {\"parameter\": \"us_backing\", \"path\": \"assumptions.us_backing\", \"low\": 0,"
	    "  \"high\": 1, \"objective_low\": 1.9e9, \"objective_high\": 1.2e9, \"swing\": 7e8},"
	    " {\"parameter\": \"cost\", \"path\": \"items.*.unit_cost\", \"low\": 0.9, \"high\": "
	    "1.2,"
	    "  \"objective_low\": 1.4e9, \"objective_high\": 1.7e9, \"swing\": 3e8}]}",
	    0, NULL);
	json_object_set_new(doc, "tornado", t);
}

char *sample_tmpdir(void)
{
	char tmpl[] = "/tmp/porcupine-views-XXXXXX";
	char *d = mkdtemp(tmpl);
	return d ? strdup(d) : NULL;
}

char *sample_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

int sample_write(const char *dir, const json_t *doc)
{
	char *p = sample_path(dir, "report.json");
	int rc = p ? json_dump_file(doc, p, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : -1;
	free(p);
	return rc;
}

char *sample_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (b) {
		size_t got = fread(b, 1, (size_t)n, f);
		b[got] = '\0';
		if (len)
			*len = got;
	}
	fclose(f);
	return b;
}

void sample_rmdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *p = sample_path(dir, e->d_name);
		if (p)
			unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

size_t count_of(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* ---- ZIP ---------------------------------------------------------------------------------- */

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

char *unzip_entry(const char *zip, size_t zlen, const char *name, size_t *len)
{
	const unsigned char *z = (const unsigned char *)zip;
	size_t eocd = zlen >= 22 ? zlen - 22 : 0;
	while (eocd > 0 && le32(z + eocd) != 0x06054b50)
		eocd--;
	if (zlen < 22 || le32(z + eocd) != 0x06054b50)
		return NULL;
	size_t n = le16(z + eocd + 10), p = le32(z + eocd + 16);
	char *list = NULL;
	size_t llen = 0;
	FILE *lf = name ? NULL : open_memstream(&list, &llen);
	for (size_t k = 0; k < n && p + 46 <= zlen && le32(z + p) == 0x02014b50; k++) {
		size_t method = le16(z + p + 10), csize = le32(z + p + 20),
		       usize = le32(z + p + 24);
		size_t nl = le16(z + p + 28), xl = le16(z + p + 30), cl = le16(z + p + 32);
		size_t off = le32(z + p + 42);
		const char *nm = (const char *)z + p + 46;
		if (lf) {
			fprintf(lf, "%.*s\n", (int)nl, nm);
		} else if (strlen(name) == nl && !memcmp(nm, name, nl)) {
			if (off + 30 > zlen)
				return NULL;
			size_t data = off + 30 + le16(z + off + 26) + le16(z + off + 28);
			if (data + csize > zlen)
				return NULL;
			char *out = malloc(usize + 1);
			if (!out)
				return NULL;
			if (method == 0) {
				memcpy(out, z + data, usize);
			} else {
				z_stream s;
				memset(&s, 0, sizeof(s));
				s.next_in = (unsigned char *)(uintptr_t)(z + data);
				s.avail_in = (uInt)csize;
				s.next_out = (unsigned char *)out;
				s.avail_out = (uInt)usize;
				if (inflateInit2(&s, -15) != Z_OK) {
					free(out);
					return NULL;
				}
				int r = inflate(&s, Z_FINISH);
				inflateEnd(&s);
				if (r != Z_STREAM_END) {
					free(out);
					return NULL;
				}
			}
			out[usize] = '\0';
			if (len)
				*len = usize;
			return out;
		}
		p += 46 + nl + xl + cl;
	}
	if (lf) {
		fclose(lf);
		if (len)
			*len = llen;
		return list;
	}
	return NULL;
}

/* ---- HTML nesting -----------------------------------------------------------------------------
 */

static int is_void(const char *n, size_t len)
{
	static const char *const v[] = {"meta", "br", "hr", "img", "link", "input", "col", "wbr"};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (strlen(v[i]) == len && !strncasecmp(v[i], n, len))
			return 1;
	return 0;
}

const char *html_check(const char *s)
{
	const char *stack[128];
	size_t lens[128], depth = 0;
	const char *p = strstr(s, "<html");
	if (strncmp(s, "<!DOCTYPE html>", 15))
		return "no doctype";
	while (p && *p) {
		if (*p != '<') {
			p++;
			continue;
		}
		if (!strncmp(p, "<!--", 4)) {
			p = strstr(p, "-->");
			continue;
		}
		int closing = p[1] == '/';
		const char *n = p + 1 + closing, *q = n;
		while (*q && (isalnum((unsigned char)*q) || *q == '-'))
			q++;
		size_t nl = (size_t)(q - n);
		if (!nl)
			return "'<' that opens no tag";
		const char *end = q;
		while (*end && *end != '>') {
			if (*end == '"') {
				end = strchr(end + 1, '"');
				if (!end)
					return "unterminated attribute";
			}
			end++;
		}
		if (!*end)
			return "unterminated tag";
		int self = end[-1] == '/';
		if (closing) {
			if (!depth || lens[depth - 1] != nl || strncmp(stack[depth - 1], n, nl))
				return "mismatched closing tag";
			depth--;
		} else if (!self && !is_void(n, nl)) {
			if (depth == 128)
				return "too deep";
			stack[depth] = n;
			lens[depth++] = nl;
			if (nl == 5 && !strncmp(n, "style", 5)) {
				end = strstr(end, "</style>");
				if (!end)
					return "unclosed style";
				end--;
			}
		}
		p = end + 1;
	}
	return depth ? "unclosed element" : NULL;
}
