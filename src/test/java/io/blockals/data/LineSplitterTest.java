package io.blockals.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

  private static List<String> fields(String line, String delimiter, boolean quoting) {
    LineSplitter.Split s = LineSplitter.split(line, delimiter, quoting);
    assertThat(s.error()).as("error for %s", line).isNull();
    return s.fields();
  }

  @Test
  void plainSplitKeepsEmptyAndTrailingFields() {
    assertThat(fields("a,,c,", ",", false)).containsExactly("a", "", "c", "");
    assertThat(fields("", ",", false)).containsExactly("");
  }

  @Test
  void multiCharacterDelimiter() {
    assertThat(fields("1::1193::5::978300760", "::", false)).containsExactly("1", "1193", "5", "978300760");
  }

  @Test
  void quotedFieldMayHoldTheDelimiterAndEscapedQuotes() {
    assertThat(fields("\"a,b\",\"say \"\"hi\"\"\",3", ",", true)).containsExactly("a,b", "say \"hi\"", "3");
  }

  @Test
  void spacesAroundQuotedFieldsAreAllowed() {
    assertThat(fields(" \"x\" , y", ",", true)).containsExactly("x", " y");
  }

  @Test
  void quotesAreOrdinaryWithoutQuoting() {
    assertThat(fields("\"a,b\",c", ",", false)).containsExactly("\"a", "b\"", "c");
  }

  @Test
  void quoteInsideAnUnquotedFieldIsKept() {
    assertThat(fields("ab\"c,d", ",", true)).containsExactly("ab\"c", "d");
  }

  @Test
  void unclosedQuoteIsAnErrorMentioningMultiLineFields() {
    LineSplitter.Split s = LineSplitter.split("u1,\"item with a line break,4", ",", true);
    assertThat(s.ok()).isFalse();
    assertThat(s.error()).contains("quoted field 2 is not closed").contains("spanning lines are not supported");
  }

  @Test
  void textAfterClosingQuoteIsAnError() {
    LineSplitter.Split s = LineSplitter.split("\"a\"b,c", ",", true);
    assertThat(s.error()).contains("after the closing quote of field 1");
  }

  @Test
  void suggestsTheDelimiterThatGivesTheExpectedFieldCount() {
    assertThat(LineSplitter.suggestDelimiter("u1;i1;4.5", ",", true, f -> f.size() == 3)).isEqualTo(";");
    assertThat(LineSplitter.suggestDelimiter("u1\ti1\t4.5", ",", true, f -> f.size() == 3)).isEqualTo("\t");
    assertThat(LineSplitter.suggestDelimiter("1::2::3::4", "\t", false, f -> f.size() == 4)).isEqualTo("::");
    assertThat(LineSplitter.suggestDelimiter("u1|i1", ",", true, f -> f.size() == 3)).isNull();
  }

  @Test
  void hintShowsTabAsBackslashT() {
    assertThat(LineSplitter.hint("\t")).isEqualTo("; did you mean delimiter '\\t'?");
    assertThat(LineSplitter.hint(null)).isEmpty();
  }
}
