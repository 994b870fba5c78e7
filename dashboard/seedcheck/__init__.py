"""The rules every input file of the build must follow, checked before anything is written.

`dashboard.seeds.load_seeds` is the entry point (used by `validate` and `build-db` alike); this package
holds its parts: machine formats (`formats`), column schemas run by pandera (`schema`), safe file
discovery and CSV reading (`files`), checks across fields and files (`crosscheck`), boundary files
(`geo`) and the simulation's calibration inputs with a dry run of everything the build derives
(`simulation`). Every problem names file, row (as a spreadsheet shows it: header = row 1) and field.
"""
