/* report_json.c - report.json writer (placeholder). */
