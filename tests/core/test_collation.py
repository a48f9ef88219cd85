from eventtool.core.collation import name_key, split_name, text_key


def test_names_split_as_dutch_lists_read_them():
    assert split_name("Bram de Boer") == ("Bram", "de", "Boer")
    assert split_name("Jan van der Berg") == ("Jan", "van der", "Berg")
    assert split_name("Anna Maria in 't Veld") == ("Anna Maria", "in 't", "Veld")
    assert split_name("Els de Boer-van Dijk") == ("Els", "de", "Boer-van Dijk")
    assert split_name("Kevin Vos") == ("Kevin", "", "Vos")
    assert split_name("Madonna") == ("", "", "Madonna")
    assert split_name("  ") == ("", "", "")


def test_lists_sort_by_surname_with_dutch_collation():
    names = ["Bram Yilmaz", "Bram de Boer", "émile Zwart", "Özlem Aydın", "anna bakker", "Jan van der Berg",
             "Zoë de Vries", "Ilse Ömer", "Piet Oosterhuis"]
    assert sorted(names, key=name_key) == [
        "Özlem Aydın", "anna bakker", "Jan van der Berg", "Bram de Boer", "Ilse Ömer", "Piet Oosterhuis",
        "Zoë de Vries", "Bram Yilmaz", "émile Zwart"]
    # Accents and case sort with their letter, not after 'Z'.
    assert sorted(["Zorg BV", "émigré BV", "Abc BV", "Örnek BV"], key=text_key) == ["Abc BV", "émigré BV", "Örnek BV",
                                                                                       "Zorg BV"]
