"""The only code that reads bytes: files, stdin, feeds, WARC archives and (in ``fetch``) URLs."""
