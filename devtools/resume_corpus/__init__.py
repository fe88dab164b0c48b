"""A generated ground-truth corpus of resumes for measuring candidates.parsing.

people.make_person draws a fake person (vocabulary per language); html.render_html and
word.render_docx lay them out; corpus.ensure_corpus prints a whole corpus (Chromium, python-docx,
LibreOffice, rasterised scans) into .run/resume_corpus/ with a manifest of the true fields.
`manage.py resume_corpus` generates it; `make bench ARGS="--only parsing"` evaluates on it.
"""
