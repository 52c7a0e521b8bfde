"""The annual report: one build (`annual.annual_report_build`), four renderers.

Renderers only format what the build returns; none of them queries the database.
"""
