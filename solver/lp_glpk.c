/* lp_glpk.c - GLPK backend (placeholder). */
