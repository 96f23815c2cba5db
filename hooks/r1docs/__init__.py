"""Checks and build-time rendering for the bilingual DeepSeek-R1 site.

Nothing in this package imports MkDocs: the same code runs from the build hook
(`hooks/site_hook.py`) and from the command line (`python -m r1docs`).
"""
