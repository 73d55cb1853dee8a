/* lpm.c - solver-neutral LP model (placeholder). */
