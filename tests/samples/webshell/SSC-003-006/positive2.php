<?php require 'php://input';
