/* diag.c - diagnostics (placeholder until the inputs work lands). */
