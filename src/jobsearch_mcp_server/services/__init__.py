"""The services the tools and the CLI call: each orchestrates the engines below it and gets its
dependencies passed in (runtime.py builds them).

`search.SearchService`: searching many boards as one (fan-out, statuses, dedup, imports, job details);
`pages`: results a page at a time; `matching.Matcher`: what to rank, the ranking stages and the advice;
`resumes.ResumeService`: parse_resume's checks, reading and storage.
"""
