${Runtime.getRuntime().exec(param.c)}
